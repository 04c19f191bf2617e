import type { Agency } from '../shared/agencies.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
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

export type TeamFormed = DomainEvent<
  'TeamFormed',
  {
    readonly teamId: string;
    readonly name: string;
    readonly jurisdiction: string;
    readonly institutions: readonly string[];
    readonly kind: TeamKind;
    /** An opaque reference from the case system: Cadre never holds the prisoner's data. */
    readonly caseRef: string;
    readonly requiredDisciplines: readonly RequiredDiscipline[];
  }
>;
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
export type MemberReleased = DomainEvent<
  'MemberReleased',
  { readonly teamId: string; readonly staffId: string; readonly reason: string }
>;
export type TeamLeadDesignated = DomainEvent<
  'TeamLeadDesignated',
  { readonly teamId: string; readonly staffId: string }
>;
export type TeamDeclaredOperational = DomainEvent<'TeamDeclaredOperational', { readonly teamId: string }>;
export type MemberQualificationLapsed = DomainEvent<
  'MemberQualificationLapsed',
  {
    readonly teamId: string;
    readonly staffId: string;
    readonly certificationId: string;
    readonly cause: 'expired' | 'revoked' | 'suspended' | 'voided';
  }
>;
export type TeamDissolved = DomainEvent<
  'TeamDissolved',
  { readonly teamId: string; readonly reason: string }
>;

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
  | TeamDissolved;

export const teamStream = (teamId: string): string => `team-${teamId}`;
