import type { DomainCommand } from '../shared/decider.js';
import type { Reasoned, TeamFormation, TeamMemberRef, TeamRef } from './team.events.js';

export type FormTeam = DomainCommand<'FormTeam', TeamFormation>;
/** With `override`, an unqualified member is not refused but put to a second manager for approval. */
export type AssignMember = DomainCommand<
  'AssignMember',
  TeamMemberRef & { readonly teamRole: string; readonly override?: { readonly justification: string } }
>;
export type ApproveAssignmentOverride = DomainCommand<
  'ApproveAssignmentOverride',
  { readonly teamId: string; readonly overrideId: string }
>;
export type RejectAssignmentOverride = DomainCommand<
  'RejectAssignmentOverride',
  { readonly teamId: string; readonly overrideId: string; readonly reason: string }
>;
export type ReleaseMember = DomainCommand<'ReleaseMember', TeamMemberRef & Reasoned>;
export type DesignateTeamLead = DomainCommand<'DesignateTeamLead', TeamMemberRef>;
export type DeclareTeamOperational = DomainCommand<'DeclareTeamOperational', TeamRef>;
/**
 * Sent by the standing process (and the one-off reconciliation) when something that may change a
 * member's standing was recorded: the team decider judges the member with the one rule over the
 * log as it stood at `asOf` and records a lapse or a requalification where the answer changed.
 */
export type ReviewMemberStanding = DomainCommand<
  'ReviewMemberStanding',
  TeamMemberRef & { readonly asOf: string }
>;
export type DissolveTeam = DomainCommand<'DissolveTeam', TeamRef & Reasoned>;

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
