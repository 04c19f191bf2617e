import type { DomainCommand } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { CompetencyLevels } from '../shared/validity.js';

export type DraftFrameworkVersion = DomainCommand<
  'DraftFrameworkVersion',
  { readonly version: string; readonly title: string }
>;

export type DefineRole = DomainCommand<
  'DefineRole',
  { readonly version: string; readonly role: string; readonly title: string }
>;

export type DefineCompetency = DomainCommand<
  'DefineCompetency',
  {
    readonly version: string;
    readonly competency: string;
    readonly title: string;
    readonly levels: CompetencyLevels;
  }
>;

export type DefineRoleRequirement = DomainCommand<
  'DefineRoleRequirement',
  { readonly version: string; readonly role: string; readonly competency: string; readonly minLevel: Level }
>;

export type PublishFrameworkVersion = DomainCommand<'PublishFrameworkVersion', { readonly version: string }>;

export type RetireFrameworkVersion = DomainCommand<
  'RetireFrameworkVersion',
  { readonly version: string; readonly reason?: string }
>;

export type FrameworkCommand =
  | DraftFrameworkVersion
  | DefineRole
  | DefineCompetency
  | DefineRoleRequirement
  | PublishFrameworkVersion
  | RetireFrameworkVersion;
