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
export type EmployeeRefCommand = ReserveEmployeeRef | ReleaseEmployeeRef;

export type EmployeeRefState =
  { readonly status: 'free' } | { readonly status: 'reserved'; readonly staffId: string };

export const employeeRefStream = (jurisdiction: string, refKey: string): string =>
  `employee-ref-${jurisdiction}-${refKey}`;

export function decideEmployeeRef(
  command: EmployeeRefCommand,
  state: EmployeeRefState,
  context: DecisionContext,
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
    default:
      return assertNever(command);
  }
}

export function evolveEmployeeRef(_state: EmployeeRefState, event: EmployeeRefEvent): EmployeeRefState {
  switch (event.type) {
    case 'EmployeeRefReserved':
      return { status: 'reserved', staffId: event.data.staffId };
    case 'EmployeeRefReleased':
      return { status: 'free' };
    default:
      return assertNever(event);
  }
}

/** The reservation of one employeeRef in one jurisdiction. */
export const employeeRefDecider: Decider<EmployeeRefCommand, EmployeeRefEvent, EmployeeRefState> = {
  decide: decideEmployeeRef,
  evolve: evolveEmployeeRef,
  initialState: () => ({ status: 'free' }),
};
