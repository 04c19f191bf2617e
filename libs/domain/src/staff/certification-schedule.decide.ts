import { addDays, isBackdated, toMillis, type Instant } from '../shared/time.js';
import type {
  ExpireCertification,
  OpenRecertificationWindow,
  WarnCertificationExpiry,
} from './staff.commands.js';
import { certificationErrors } from './staff.errors.js';
import type { StaffEvent } from './staff.events.js';
import { currentPeriod, type Certification, type ValidityPeriod } from './staff.state.js';

/** Managers are warned this many days before a certification expires. */
export const EXPIRY_WARNING_DAYS = 30;

type ScheduledCommand = OpenRecertificationWindow | WarnCertificationExpiry | ExpireCertification;

/**
 * Each notice is recorded exactly once per validity period (a renewal starts a new one): a repeat
 * returns no event, so the expiry process can catch up after downtime without duplicates. The
 * event's business time is when it was due, not when the process got to it.
 */
export function certificationScheduleEvent(
  command: ScheduledCommand,
  state: { readonly staffId: string },
  certification: Certification,
  now: Instant,
): StaffEvent[] {
  const period = currentPeriod(certification);
  if (!period || certification.status === 'revoked') return [];
  const { dueAt, done, type } = schedule(command, period);
  if (done) return [];
  if (toMillis(now) < toMillis(dueAt)) throw certificationErrors.notDue(certification.certificationId, dueAt);
  const metadata = isBackdated(dueAt, now)
    ? { occurredAt: dueAt, reason: 'Recorded by the expiry process after the time it was due.' }
    : { occurredAt: dueAt };
  const data = {
    staffId: state.staffId,
    certificationId: certification.certificationId,
    validUntil: period.validUntil,
  };
  return [{ type, data, metadata }];
}

function schedule(command: ScheduledCommand, period: ValidityPeriod) {
  switch (command.type) {
    case 'OpenRecertificationWindow':
      return {
        type: 'RecertificationWindowOpened' as const,
        dueAt: period.windowOpensAt,
        done: period.windowOpened,
      };
    case 'WarnCertificationExpiry':
      return {
        type: 'CertificationExpiryWarned' as const,
        dueAt: addDays(period.validUntil, -EXPIRY_WARNING_DAYS),
        done: period.expiryWarned,
      };
    case 'ExpireCertification':
      return { type: 'CertificationExpired' as const, dueAt: period.validUntil, done: period.expired };
  }
}
