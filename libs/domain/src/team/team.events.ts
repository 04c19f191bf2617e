import type { Agency } from '../shared/agencies.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { Instant } from '../shared/time.js';
import type { Violation } from '../shared/qualification.js';

export const TEAM_KINDS = ['prison', 'probation', 'joint', 'multi-agency'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export interface RequiredDiscipline {
  readonly role: string;
  readonly minCount: number;
}

/** For the assignment ledger: which certification met each requirement, or what was held instead. */
export interface QualificationEntry {
  readonly role: string;
  readonly competency: string;
  readonly requiredLevel: Level;
  readonly met: boolean;
  readonly certificationId: string | null;
  readonly level: Level | null;
  readonly validUntil: string | null;
}

export interface OverrideInfo {
  readonly overrideId: string;
  readonly justification: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly violations: readonly Violation[];
}

/*
 * Where a command's data is recorded as it was asked (FormTeam, ReleaseMember, DesignateTeamLead,
 * DeclareTeamOperational, DissolveTeam), the command (team.commands.ts) and its event share the
 * payload below.
 */

export interface TeamRef {
  readonly teamId: string;
}

/** A member of the team (or one to become it). */
export interface TeamMemberRef extends TeamRef {
  readonly staffId: string;
}

/** A team's reason for a change (a release, a dissolution). */
export interface Reasoned {
  readonly reason: string;
}

export interface TeamFormation extends TeamRef {
  readonly name: string;
  readonly jurisdiction: string;
  readonly institutions: readonly string[];
  readonly kind: TeamKind;
  /** An opaque reference from the case system: Cadre never holds the prisoner's data. */
  readonly caseRef: string;
  readonly requiredDisciplines: readonly RequiredDiscipline[];
}

export type TeamFormed = DomainEvent<'TeamFormed', TeamFormation>;
/** Schema version 2 (decision 0014); version 1 events are upcast on read (team.upcasters.ts). */
export type MemberAssigned = DomainEvent<
  'MemberAssigned',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly teamRole: string;
    readonly agency: Agency;
    readonly assignedBy: string;
    readonly qualification: readonly QualificationEntry[];
    readonly requirementsVersion: string;
    readonly override: OverrideInfo | null;
    /**
     * v2. Business time of the assignment: the member's standing is judged from then on
     * (decision 0010). A fact of the assignment, as `since` is of a lapse, not of its envelope.
     */
    readonly assignedAt: Instant;
  }
>;
export type AssignmentOverrideRequested = DomainEvent<
  'AssignmentOverrideRequested',
  {
    readonly teamId: string;
    readonly overrideId: string;
    readonly staffId: string;
    readonly teamRole: string;
    readonly justification: string;
    readonly requestedBy: string;
    readonly violations: readonly Violation[];
    readonly requirementsVersion: string;
  }
>;
export type AssignmentOverrideApproved = DomainEvent<
  'AssignmentOverrideApproved',
  { readonly teamId: string; readonly overrideId: string; readonly approvedBy: string }
>;
export type AssignmentOverrideRejected = DomainEvent<
  'AssignmentOverrideRejected',
  {
    readonly teamId: string;
    readonly overrideId: string;
    readonly rejectedBy: string;
    readonly reason: string;
  }
>;
export type MemberReleased = DomainEvent<'MemberReleased', TeamMemberRef & Reasoned>;
export type TeamLeadDesignated = DomainEvent<'TeamLeadDesignated', TeamMemberRef>;
export type TeamDeclaredOperational = DomainEvent<'TeamDeclaredOperational', TeamRef>;
/**
 * Recorded by the old lapse process (before decision 0010), per certification and with no check
 * of the member's role: read as stored, as a lapse since its `occurredAt`; no longer written.
 */
export type MemberQualificationLapsed = DomainEvent<
  'MemberQualificationLapsed',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly certificationId: string;
    readonly cause: 'expired' | 'revoked' | 'suspended' | 'voided';
  }
>;

/** What made a member stop meeting their team role (decision 0010). */
export const LAPSE_CAUSES = [
  'expired',
  'revoked',
  'suspended',
  'voided',
  'left',
  'transferred',
  'requirement-added',
  'role-withdrawn',
] as const;
export type LapseCause = (typeof LAPSE_CAUSES)[number];

/**
 * The member stopped meeting their team role at `since` (business time: the `validUntil` that
 * ended a certificate, the revocation's time, the departure's…), judged by the one rule on the
 * log as it stood at `judgedAt`. `unmet` lists the requirements no longer met (empty when a
 * barrier — departure, transfer, a withdrawn role — is the cause; `detail` then says it).
 */
export type MemberLapsed = DomainEvent<
  'MemberLapsed',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly teamRole: string;
    readonly since: string;
    readonly cause: LapseCause;
    readonly unmet: readonly Violation[];
    readonly detail: string | null;
    readonly judgedAt: string;
  }
>;
/** The member meets their team role again from `since`: the lapse is over. */
export type MemberRequalified = DomainEvent<
  'MemberRequalified',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly teamRole: string;
    readonly since: string;
    readonly judgedAt: string;
  }
>;
/** An operational team lost a required discipline (or agency): it must be declared operational again. */
export type TeamReadinessLost = DomainEvent<
  'TeamReadinessLost',
  {
    readonly teamId: string;
    readonly since: string;
    readonly missing: readonly {
      readonly role: string;
      readonly required: number;
      readonly present: number;
    }[];
    readonly agenciesMissing: readonly Agency[];
  }
>;
export type TeamDissolved = DomainEvent<'TeamDissolved', TeamRef & Reasoned>;

export type TeamEvent =
  | TeamFormed
  | MemberAssigned
  | AssignmentOverrideRequested
  | AssignmentOverrideApproved
  | AssignmentOverrideRejected
  | MemberReleased
  | TeamLeadDesignated
  | TeamDeclaredOperational
  | MemberQualificationLapsed
  | MemberLapsed
  | MemberRequalified
  | TeamReadinessLost
  | TeamDissolved;

export const teamStream = (teamId: string): string => `team-${teamId}`;
