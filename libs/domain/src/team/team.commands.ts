import type { DomainCommand } from '../shared/decider.js';
import type { MemberQualificationLapsed, RequiredDiscipline, TeamKind } from './team.events.js';

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
/** Sent by the lapse process when a member's certification is revoked, suspended, voided or expires. */
export type RecordMemberQualificationLapse = DomainCommand<
  'RecordMemberQualificationLapse',
  MemberQualificationLapsed['data']
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
  | RecordMemberQualificationLapse
  | DissolveTeam;
