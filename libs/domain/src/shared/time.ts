import { DomainValidationError } from './domain-errors.js';

/** An ISO 8601 instant in UTC (`2025-03-10T09:00:00.000Z`); a bare date means midnight UTC. */
export type Instant = string;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A command may be back-dated this far without a reason (DOMAIN.md, Time). */
export const BACKDATING_TOLERANCE_MS = 24 * HOUR_MS;
/** Clocks drift: an occurredAt this far ahead of `now` is still accepted. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function toMillis(instant: Instant, field = 'instant'): number {
  const millis = Date.parse(instant);
  if (Number.isNaN(millis)) {
    throw new DomainValidationError('COMMAND.INVALID_INSTANT', `"${instant}" is not a valid date or time.`, {
      field,
    });
  }
  return millis;
}

export function toInstant(millis: number): Instant {
  return new Date(millis).toISOString();
}

export function isBefore(a: Instant, b: Instant): boolean {
  return toMillis(a) < toMillis(b);
}

export function isAtOrAfter(a: Instant, b: Instant): boolean {
  return !isBefore(a, b);
}

export function addDays(instant: Instant, days: number): Instant {
  return toInstant(toMillis(instant) + days * DAY_MS);
}

/**
 * Calendar months in UTC, clamped to the end of a shorter month: 31 January + 1 month is the last
 * day of February, never 3 March.
 */
export function addMonths(instant: Instant, months: number): Instant {
  const from = new Date(toMillis(instant));
  const targetMonth = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(from.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  const result = new Date(from.getTime());
  result.setUTCDate(1);
  result.setUTCMonth(targetMonth);
  result.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return result.toISOString();
}

/** True when `occurredAt` lies more than 24 h before `now`. */
export function isBackdated(occurredAt: Instant, now: Instant): boolean {
  return toMillis(now) - toMillis(occurredAt) > BACKDATING_TOLERANCE_MS;
}

/**
 * The business time of a command: `now` unless the command says otherwise. Back-dating by more
 * than 24 h needs a reason, which the event keeps; a time in the future is refused.
 */
export function resolveOccurredAt(
  requested: { readonly occurredAt?: Instant; readonly reason?: string } | undefined,
  now: Instant,
): { occurredAt: Instant; reason?: string } {
  const occurredAt = requested?.occurredAt ? toInstant(toMillis(requested.occurredAt, 'occurredAt')) : now;
  if (toMillis(occurredAt) - toMillis(now) > FUTURE_TOLERANCE_MS) {
    throw new DomainValidationError(
      'COMMAND.OCCURRED_IN_FUTURE',
      'A fact cannot be recorded as having happened in the future.',
      { occurredAt, now },
    );
  }
  const reason = requested?.reason?.trim();
  if (isBackdated(occurredAt, now) && !reason) {
    throw new DomainValidationError(
      'COMMAND.BACKDATED_WITHOUT_REASON',
      'This is recorded more than 24 hours after it happened: please give a reason for the late entry.',
      { occurredAt, now },
    );
  }
  return reason ? { occurredAt, reason } : { occurredAt };
}
