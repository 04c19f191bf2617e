import type { DomainCommand } from '../shared/decider.js';
import type { RequiredDiscipline, TeamKind } from './team.events.js';

export type FormTeam = DomainCommand<
  'FormTeam',
  {
    readonly teamId: string;
    readonly name: string;
    readonly jurisdiction: string;
    readonly institutions: readonly string[];
    readonly kind: TeamKind;
    readonly caseRef: string;
    readonly requiredDisciplines: readonly RequiredDiscipline[];
  }
>;
/** With `override`, an unqualified member is not refused but put to a second manager for approval. */
export type AssignMember = DomainCommand<
  'AssignMember',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly teamRole: string;
    readonly override?: { readonly justification: string };
  }
>;
export type ApproveAssignmentOverride = DomainCommand<
  'ApproveAssignmentOverride',
  { readonly teamId: string; readonly overrideId: string }
>;
export type RejectAssignmentOverride = DomainCommand<
  'RejectAssignmentOverride',
  { readonly teamId: string; readonly overrideId: string; readonly reason: string }
>;
export type ReleaseMember = DomainCommand<
  'ReleaseMember',
  { readonly teamId: string; readonly staffId: string; readonly reason: string }
>;
export type DesignateTeamLead = DomainCommand<
  'DesignateTeamLead',
  { readonly teamId: string; readonly staffId: string }
>;
export type DeclareTeamOperational = DomainCommand<'DeclareTeamOperational', { readonly teamId: string }>;
/**
 * Sent by the standing process (and the one-off reconciliation) when something that may change a
 * member's standing was recorded: the team decider judges the member with the one rule over the
 * log as it stood at `asOf` and records a lapse or a requalification where the answer changed.
 */
export type ReviewMemberStanding = DomainCommand<
  'ReviewMemberStanding',
  { readonly teamId: string; readonly staffId: string; readonly asOf: string }
>;
export type DissolveTeam = DomainCommand<
  'DissolveTeam',
  { readonly teamId: string; readonly reason: string }
>;

export type TeamCommand =
  | FormTeam
  | AssignMember
  | ApproveAssignmentOverride
  | RejectAssignmentOverride
  | ReleaseMember
  | DesignateTeamLead
  | DeclareTeamOperational
  | ReviewMemberStanding
  | DissolveTeam;
