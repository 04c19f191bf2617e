import type { RecordedEvent } from '@cadre/event-store';
import type {
  AssignmentOverrideApproved,
  AssignmentOverrideRejected,
  AssignmentOverrideRequested,
  MemberAssigned,
  MemberReleased,
  TeamFormed,
} from '@cadre/domain';

export type LedgerKind =
  'assigned' | 'override-requested' | 'override-approved' | 'override-rejected' | 'released';

/** One line of the ledger: a fact at `validFrom` (business time), learnt at `recordedAt`. */
export interface LedgerEntry {
  readonly eventId: string;
  readonly teamId: string;
  readonly kind: LedgerKind;
  /** Null on an approval or a rejection: filled from the request it answers. */
  readonly staffId: string | null;
  readonly teamRole: string | null;
  /** Who acted: the assigner, the requester, the approver, the rejecter or the releaser. */
  readonly actedBy: string | null;
  readonly overrideId: string | null;
  readonly requestedBy: string | null;
  readonly approvedBy: string | null;
  readonly justification: string | null;
  readonly reason: string | null;
  /** The qualification snapshot (assignments) or the unmet requirements (override requests). */
  readonly qualification: unknown;
  readonly violations: unknown;
  readonly requirementsVersion: string | null;
  readonly validFrom: string;
  readonly recordedAt: string;
  readonly correlationId: string;
}

export const LEDGER_EVENT_TYPES = [
  'TeamFormed',
  'MemberAssigned',
  'AssignmentOverrideRequested',
  'AssignmentOverrideApproved',
  'AssignmentOverrideRejected',
  'MemberReleased',
] as const;

type LedgerEvent =
  | MemberAssigned
  | AssignmentOverrideRequested
  | AssignmentOverrideApproved
  | AssignmentOverrideRejected
  | MemberReleased;

/** The team of a TeamFormed event, whose jurisdiction scopes the ledger's lines. */
export function teamOf(event: RecordedEvent): { teamId: string; jurisdiction: string } | null {
  if (event.type !== 'TeamFormed') return null;
  const data = event.data as TeamFormed['data'];
  return { teamId: data.teamId, jurisdiction: data.jurisdiction };
}

/** Event → ledger line (null for events that are not ledger lines). Pure. */
export function ledgerEntryOf(event: RecordedEvent): LedgerEntry | null {
  const base = {
    eventId: event.eventId,
    validFrom: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    correlationId: event.metadata.correlationId,
    actedBy: event.metadata.actor?.sub ?? null,
    overrideId: null,
    requestedBy: null,
    approvedBy: null,
    justification: null,
    reason: event.metadata.reason ?? null,
    qualification: null,
    violations: null,
    requirementsVersion: null,
  };
  const typed = event as unknown as LedgerEvent;
  switch (typed.type) {
    case 'MemberAssigned': {
      const d = typed.data;
      return {
        ...base,
        kind: 'assigned',
        teamId: d.teamId,
        staffId: d.staffId,
        teamRole: d.teamRole,
        actedBy: d.assignedBy,
        overrideId: d.override?.overrideId ?? null,
        requestedBy: d.override?.requestedBy ?? null,
        approvedBy: d.override?.approvedBy ?? null,
        justification: d.override?.justification ?? null,
        qualification: d.qualification,
        violations: d.override?.violations ?? null,
        requirementsVersion: d.requirementsVersion,
      };
    }
    case 'AssignmentOverrideRequested': {
      const d = typed.data;
      return {
        ...base,
        kind: 'override-requested',
        teamId: d.teamId,
        staffId: d.staffId,
        teamRole: d.teamRole,
        actedBy: d.requestedBy,
        overrideId: d.overrideId,
        requestedBy: d.requestedBy,
        justification: d.justification,
        violations: d.violations,
        requirementsVersion: d.requirementsVersion,
      };
    }
    case 'AssignmentOverrideApproved': {
      const d = typed.data;
      return {
        ...base,
        kind: 'override-approved',
        teamId: d.teamId,
        staffId: null,
        teamRole: null,
        actedBy: d.approvedBy,
        overrideId: d.overrideId,
        approvedBy: d.approvedBy,
      };
    }
    case 'AssignmentOverrideRejected': {
      const d = typed.data;
      return {
        ...base,
        kind: 'override-rejected',
        teamId: d.teamId,
        staffId: null,
        teamRole: null,
        actedBy: d.rejectedBy,
        overrideId: d.overrideId,
        reason: d.reason,
      };
    }
    case 'MemberReleased': {
      const d = typed.data;
      return {
        ...base,
        kind: 'released',
        teamId: d.teamId,
        staffId: d.staffId,
        teamRole: null,
        reason: d.reason,
      };
    }
    default:
      return null;
  }
}
