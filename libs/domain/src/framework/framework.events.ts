import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { CompetencyLevels } from '../shared/validity.js';

export type FrameworkVersionDrafted = DomainEvent<
  'FrameworkVersionDrafted',
  { readonly version: string; readonly title: string }
>;

export type RoleDefined = DomainEvent<
  'RoleDefined',
  { readonly version: string; readonly role: string; readonly title: string }
>;

export type CompetencyDefined = DomainEvent<
  'CompetencyDefined',
  {
    readonly version: string;
    readonly competency: string;
    readonly title: string;
    readonly levels: CompetencyLevels;
  }
>;

export type RoleRequirementDefined = DomainEvent<
  'RoleRequirementDefined',
  { readonly version: string; readonly role: string; readonly competency: string; readonly minLevel: Level }
>;

export type FrameworkVersionPublished = DomainEvent<
  'FrameworkVersionPublished',
  { readonly version: string }
>;

export type FrameworkVersionRetired = DomainEvent<
  'FrameworkVersionRetired',
  { readonly version: string; readonly reason: string | null }
>;

export type FrameworkEvent =
  | FrameworkVersionDrafted
  | RoleDefined
  | CompetencyDefined
  | RoleRequirementDefined
  | FrameworkVersionPublished
  | FrameworkVersionRetired;

export const frameworkStream = (version: string): string => `framework-${version}`;
