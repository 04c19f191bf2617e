import {
  DomainConflictError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { HeldCertification } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';

export interface TrainerGap {
  readonly trainerId: string;
  readonly competency: string;
  readonly held: HeldCertification | null;
}

/** Refusals of a training session, by stable code. */
export const sessionErrors = {
  notFound: (sessionId: string) =>
    new DomainNotFoundError('SESSION.NOT_FOUND', 'This training session has not been scheduled.', {
      sessionId,
    }),
  alreadyScheduled: (sessionId: string) =>
    new DomainConflictError('SESSION.ALREADY_SCHEDULED', 'This training session is already scheduled.', {
      sessionId,
    }),
  closed: (sessionId: string) =>
    new DomainConflictError(
      'SESSION.CLOSED',
      'This session is closed: its records can only be corrected by voiding.',
      {
        sessionId,
      },
    ),
  cancelled: (sessionId: string) =>
    new DomainConflictError('SESSION.CANCELLED', 'This session was cancelled.', { sessionId }),
  invalidDates: (startsAt: Instant, endsAt: Instant) =>
    new DomainValidationError('SESSION.INVALID_DATES', 'A session must end after it starts.', {
      startsAt,
      endsAt,
    }),
  trainerNotAccredited: (gaps: readonly TrainerGap[]) =>
    new DomainRuleError(
      'SESSION.TRAINER_NOT_ACCREDITED',
      `Every trainer must hold a valid trainer-level certification for what the session teaches, on the session dates; ${gaps
        .map((gap) => `${gap.trainerId} lacks ${gap.competency}`)
        .join('; ')}.`,
      { trainers: gaps },
    ),
  capacityReached: (sessionId: string, capacity: number) =>
    new DomainRuleError('SESSION.CAPACITY_REACHED', `This session is full (${capacity} places).`, {
      sessionId,
      capacity,
    }),
  alreadyEnrolled: (staffId: string) =>
    new DomainConflictError('SESSION.ALREADY_ENROLLED', 'This person is already enrolled in the session.', {
      staffId,
    }),
  notEnrolled: (staffId: string) =>
    new DomainRuleError(
      'SESSION.NOT_ENROLLED',
      'Only participants enrolled in the session can be recorded or assessed.',
      {
        staffId,
      },
    ),
  participantNotEligible: (staffId: string, why: string) =>
    new DomainRuleError('SESSION.PARTICIPANT_NOT_ELIGIBLE', `This person cannot join the session: ${why}.`, {
      staffId,
      why,
    }),
  notStarted: (startsAt: Instant) =>
    new DomainRuleError('SESSION.NOT_STARTED', `The session has not started yet (it starts ${startsAt}).`, {
      startsAt,
    }),
  ended: (endsAt: Instant) =>
    new DomainRuleError('SESSION.ENDED', `The session ended on ${endsAt}: no more enrolments.`, { endsAt }),
  alreadyRecorded: (staffId: string, what: 'attendance' | 'assessment') =>
    new DomainConflictError(
      what === 'attendance' ? 'SESSION.ATTENDANCE_ALREADY_RECORDED' : 'SESSION.ASSESSMENT_ALREADY_RECORDED',
      `The ${what} of this participant is already recorded; void it first to correct it.`,
      { staffId },
    ),
  absentNotAssessed: (staffId: string) =>
    new DomainRuleError(
      'SESSION.ABSENT_NOT_ASSESSED',
      'A participant recorded as absent cannot be assessed.',
      {
        staffId,
      },
    ),
};
