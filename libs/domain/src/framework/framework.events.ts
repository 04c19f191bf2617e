import type { DomainEvent } from '../shared/decider.js';
import type { RoleRequirement } from '../shared/requirements.js';
import type { CompetencyLevels } from '../shared/validity.js';

/*
 * What a framework version's commands ask for and its events record are the same: each payload
 * below is the data of a command (framework.commands.ts) and of the event it records.
 */

export interface FrameworkVersionRef {
  readonly version: string;
}

export interface FrameworkDraft extends FrameworkVersionRef {
  readonly title: string;
}

export interface RoleDefinition extends FrameworkVersionRef {
  readonly role: string;
  readonly title: string;
}

export interface CompetencyDefinition extends FrameworkVersionRef {
  readonly competency: string;
  readonly title: string;
  readonly levels: CompetencyLevels;
}

export interface RoleRequirementDefinition extends FrameworkVersionRef, RoleRequirement {}

export type FrameworkVersionDrafted = DomainEvent<'FrameworkVersionDrafted', FrameworkDraft>;
export type RoleDefined = DomainEvent<'RoleDefined', RoleDefinition>;
export type CompetencyDefined = DomainEvent<'CompetencyDefined', CompetencyDefinition>;
export type RoleRequirementDefined = DomainEvent<'RoleRequirementDefined', RoleRequirementDefinition>;
export type FrameworkVersionPublished = DomainEvent<'FrameworkVersionPublished', FrameworkVersionRef>;
export type FrameworkVersionRetired = DomainEvent<
  'FrameworkVersionRetired',
  FrameworkVersionRef & { readonly reason: string | null }
>;

export type FrameworkEvent =
  | FrameworkVersionDrafted
  | RoleDefined
  | CompetencyDefined
  | RoleRequirementDefined
  | FrameworkVersionPublished
  | FrameworkVersionRetired;

export const frameworkStream = (version: string): string => `framework-${version}`;
