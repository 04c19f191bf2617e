import {
  DomainConflictError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { HeldCertification } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';

/** Why a trainer may not deliver the session: a competency not held throughout, or a departure. */
export interface TrainerGap {
  readonly trainerId: string;
  /** The competency not held validly on every session day; null when the trainer left. */
  readonly competency: string | null;
  readonly held: HeldCertification | null;
  /** When the trainer left the service, on or before the session's end. */
  readonly leftAt?: Instant;
}

const describeGap = (gap: TrainerGap): string =>
  gap.leftAt
    ? `trainer ${gap.trainerId} left the service on ${gap.leftAt}`
    : `trainer ${gap.trainerId} ${gap.held ? `holds ${gap.competency} only as ${gap.held.standing} (${gap.held.level})` : `lacks ${gap.competency}`}`;

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
        .map(describeGap)
        .join('; ')}.`,
      { trainers: gaps },
    ),
  /** A recording command on a session whose trainer no longer qualifies: the first gap is named. */
  trainerNotQualified: (sessionId: string, gaps: readonly [TrainerGap, ...TrainerGap[]]) =>
    new DomainRuleError(
      'SESSION.TRAINER_NOT_QUALIFIED',
      `This session cannot record anything while ${gaps.map(describeGap).join('; ')}: every trainer must hold a valid trainer-level certification of what it teaches on every session day. Replace the trainer (POST /v1/sessions/${sessionId}/trainers) to go on.`,
      { sessionId, ...gaps[0], trainers: gaps },
    ),
  notATrainer: (sessionId: string, trainerId: string) =>
    new DomainRuleError('SESSION.NOT_A_TRAINER', `${trainerId} is not a trainer of this session.`, {
      sessionId,
      trainerId,
    }),
  alreadyATrainer: (sessionId: string, trainerId: string) =>
    new DomainConflictError('SESSION.ALREADY_A_TRAINER', `${trainerId} already trains this session.`, {
      sessionId,
      trainerId,
    }),
  trainerIsParticipant: (sessionId: string, trainerId: string) =>
    new DomainRuleError(
      'SESSION.TRAINER_IS_PARTICIPANT',
      `${trainerId} is enrolled in this session and cannot also train it.`,
      { sessionId, trainerId },
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
