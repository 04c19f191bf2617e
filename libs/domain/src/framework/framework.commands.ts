import type { DomainCommand } from '../shared/decider.js';
import type {
  CompetencyDefinition,
  FrameworkDraft,
  FrameworkVersionRef,
  RoleDefinition,
  RoleRequirementDefinition,
} from './framework.events.js';

export type DraftFrameworkVersion = DomainCommand<'DraftFrameworkVersion', FrameworkDraft>;
export type DefineRole = DomainCommand<'DefineRole', RoleDefinition>;
export type DefineCompetency = DomainCommand<'DefineCompetency', CompetencyDefinition>;
export type DefineRoleRequirement = DomainCommand<'DefineRoleRequirement', RoleRequirementDefinition>;
export type PublishFrameworkVersion = DomainCommand<'PublishFrameworkVersion', FrameworkVersionRef>;
/** The reason is optional; the event records it, or null. */
export type RetireFrameworkVersion = DomainCommand<
  'RetireFrameworkVersion',
  FrameworkVersionRef & { readonly reason?: string }
>;

export type FrameworkCommand =
  | DraftFrameworkVersion
  | DefineRole
  | DefineCompetency
  | DefineRoleRequirement
  | PublishFrameworkVersion
  | RetireFrameworkVersion;
