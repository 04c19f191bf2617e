import type { DomainCommand, DomainEvent } from './decider.js';
import { DomainConflictError, DomainNotFoundError, DomainRuleError } from './domain-errors.js';
import { requireText } from './validation.js';

/**
 * Nothing is edited or deleted: a recorded attendance, assessment or certification is corrected by
 * `RecordVoided`, appended to the stream of the record it voids, which `evolve` honours.
 */
export type RecordVoided = DomainEvent<
  'RecordVoided',
  {
    readonly stream: string;
    readonly targetEventId: string;
    readonly targetType: string;
    readonly reason: string;
  }
>;

/** The handler finds the target event's stream (e.g. from the event id) and sends this there. */
export type VoidRecord = DomainCommand<
  'VoidRecord',
  { readonly targetEventId: string; readonly reason: string }
>;

/** A voidable record as a stream's state remembers it. */
export interface VoidableRecord {
  readonly eventId: string;
  readonly type: string;
  readonly voided: boolean;
}

/** Checks a void against the records of one stream; returns the target's event type. */
export function checkVoid(
  command: VoidRecord,
  records: readonly VoidableRecord[],
  voidableTypes: readonly string[],
) {
  const reason = requireText(command.data.reason, 'reason');
  const target = records.find((record) => record.eventId === command.data.targetEventId);
  if (!target) {
    throw new DomainNotFoundError('RECORD.NOT_FOUND', 'There is no record with that id here.', {
      targetEventId: command.data.targetEventId,
    });
  }
  if (!voidableTypes.includes(target.type)) {
    throw new DomainRuleError(
      'RECORD.NOT_VOIDABLE',
      `A ${target.type} record cannot be voided; only ${voidableTypes.join(', ')} can.`,
      { targetEventId: target.eventId, targetType: target.type },
    );
  }
  if (target.voided) {
    throw new DomainConflictError('RECORD.ALREADY_VOIDED', 'This record has already been voided.', {
      targetEventId: target.eventId,
    });
  }
  return { targetType: target.type, reason };
}
