import {
  assertNever,
  eventFactory,
  type Decider,
  type DecisionContext,
  type DomainCommand,
  type DomainEvent,
} from '../shared/decider.js';
import { requireText } from '../shared/validation.js';
import { staffErrors } from './staff.errors.js';

/*
 * An employeeRef is unique within a jurisdiction. The staff stream cannot see other members, so
 * each reference gets a tiny stream of its own, `employee-ref-<jurisdiction>-<refKey>`, where
 * `refKey` is a keyed hash (HMAC) of the reference computed by the handler: the reference itself
 * never appears in a stream name. Registration appends here first (`no_stream` on a fresh
 * reference), then the staff stream; a retry by the same member is accepted.
 *
 * The two appends are not one transaction: a registration that fails between them (the database
 * gone mid-command) leaves a reservation whose staff stream was never created, and its best-effort
 * release may fail as well. Such an orphan is released by `ReleaseOrphanedEmployeeRef` (the
 * employee-ref orphans process, and `cadre reservations:orphans --release`), only once the grace
 * period has passed since the reservation and only while the holder's staff stream is still
 * absent; the release carries the reason {@link ORPHANED_RESERVATION_REASON} (decision 0020).
 */

/** A reference held by a member in a jurisdiction: the data of every command and event here. */
export interface EmployeeRefClaim {
  readonly jurisdiction: string;
  readonly refKey: string;
  readonly staffId: string;
}

export type EmployeeRefReserved = DomainEvent<'EmployeeRefReserved', EmployeeRefClaim>;
export type EmployeeRefReleased = DomainEvent<'EmployeeRefReleased', EmployeeRefClaim>;
export type EmployeeRefEvent = EmployeeRefReserved | EmployeeRefReleased;

export type ReserveEmployeeRef = DomainCommand<'ReserveEmployeeRef', EmployeeRefClaim>;
/** Frees the reference, e.g. when its holder transfers to another jurisdiction. */
export type ReleaseEmployeeRef = DomainCommand<'ReleaseEmployeeRef', EmployeeRefClaim>;
/** Frees a reservation whose registration never created the staff stream (an orphan). */
export type ReleaseOrphanedEmployeeRef = DomainCommand<'ReleaseOrphanedEmployeeRef', EmployeeRefClaim>;
export type EmployeeRefCommand = ReserveEmployeeRef | ReleaseEmployeeRef | ReleaseOrphanedEmployeeRef;

/** The reason an orphaned reservation's release carries (in its envelope). */
export const ORPHANED_RESERVATION_REASON = 'staff stream never created';

export type EmployeeRefState =
  | { readonly status: 'free' }
  | { readonly status: 'reserved'; readonly staffId: string; readonly reservedAt?: string };

/**
 * What a release of an orphan needs beyond the reservation stream, read by the handler just before
 * deciding: whether the holder's staff stream exists, and how long a registration may take.
 */
export interface EmployeeRefContext extends DecisionContext {
  readonly holderRegistered?: boolean;
  readonly graceSeconds?: number;
}

/**
 * Whether a reservation is an orphan: held by `staffId`, whose staff stream does not exist, since
 * at least `graceSeconds` (a registration still under way is never one). Unknown is not an orphan.
 */
export function isOrphanedReservation(
  state: EmployeeRefState,
  staffId: string,
  context: EmployeeRefContext,
): boolean {
  if (state.status !== 'reserved' || state.staffId !== staffId) return false;
  if (context.holderRegistered !== false || context.graceSeconds === undefined) return false;
  if (!state.reservedAt) return true;
  return Date.parse(context.now) - Date.parse(state.reservedAt) >= context.graceSeconds * 1000;
}

export const employeeRefStream = (jurisdiction: string, refKey: string): string =>
  `employee-ref-${jurisdiction}-${refKey}`;

export function decideEmployeeRef(
  command: EmployeeRefCommand,
  state: EmployeeRefState,
  context: EmployeeRefContext,
): EmployeeRefEvent[] {
  const emit = eventFactory<EmployeeRefEvent>(command, context);
  const { jurisdiction, staffId } = command.data;
  const refKey = requireText(command.data.refKey, 'refKey');
  switch (command.type) {
    case 'ReserveEmployeeRef':
      if (state.status === 'reserved') {
        if (state.staffId === staffId) return [];
        throw staffErrors.employeeRefTaken(jurisdiction);
      }
      return [emit('EmployeeRefReserved', { jurisdiction, refKey, staffId })];
    case 'ReleaseEmployeeRef':
      if (state.status === 'free' || state.staffId !== staffId) return [];
      return [emit('EmployeeRefReleased', { jurisdiction, refKey, staffId })];
    case 'ReleaseOrphanedEmployeeRef': {
      if (!isOrphanedReservation(state, staffId, context)) return [];
      const release = eventFactory<EmployeeRefEvent>(
        { ...command, metadata: { reason: ORPHANED_RESERVATION_REASON } },
        context,
      );
      return [release('EmployeeRefReleased', { jurisdiction, refKey, staffId })];
    }
    default:
      return assertNever(command);
  }
}

export function evolveEmployeeRef(_state: EmployeeRefState, event: EmployeeRefEvent): EmployeeRefState {
  switch (event.type) {
    case 'EmployeeRefReserved':
      return { status: 'reserved', staffId: event.data.staffId, reservedAt: event.metadata?.occurredAt };
    case 'EmployeeRefReleased':
      return { status: 'free' };
    default:
      return assertNever(event);
  }
}

/** The reservation of one employeeRef in one jurisdiction. */
export const employeeRefDecider: Decider<
  EmployeeRefCommand,
  EmployeeRefEvent,
  EmployeeRefState,
  EmployeeRefContext
> = {
  decide: decideEmployeeRef,
  evolve: evolveEmployeeRef,
  initialState: () => ({ status: 'free' }),
};
