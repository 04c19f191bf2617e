import { actsIn, assertActsIn } from '../shared/actor.js';
import { AGENCIES } from '../shared/agencies.js';
import { checkVoid } from '../shared/corrections.js';
import { assertNever, eventFactory, type Decider, type DecisionContext } from '../shared/decider.js';
import { toInstant, toMillis } from '../shared/time.js';
import {
  requireContext,
  requireInteger,
  requireNonEmpty,
  requireNumber,
  requireOneOf,
  requireText,
} from '../shared/validation.js';
import { programmeErrors } from '../programme/programme.errors.js';
import type { ProgrammeState } from '../programme/programme.decider.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { ScheduleSession, SessionCommand } from './session.commands.js';
import { sessionErrors } from './session.errors.js';
import { sessionStream, type SessionEvent } from './session.events.js';
import {
  current,
  evolveSession,
  initialSessionState,
  type SessionRecord,
  type SessionState,
} from './session.state.js';
import { checkTrainers, replacement, trainerGaps, type TrainerRecords } from './session-trainers.js';

export interface SessionContext extends DecisionContext {
  /** For `ScheduleSession`: the programme's current state. */
  readonly programme?: ProgrammeState;
  /**
   * The trainers to judge, read from their staff streams (an unknown id has no entry): those
   * scheduled (`ScheduleSession`), the session's trainers (`EnrolParticipant`, `RecordAttendance`,
   * `RecordAssessment`, `CloseSession`), the replacement (`ReplaceSessionTrainer`).
   */
  readonly trainers?: TrainerRecords;
  /** For `EnrolParticipant`: the participant, read from their staff stream. */
  readonly participant?: StaffSnapshot;
}

const MAX_CAPACITY = 1000;
const VOIDABLE = ['AttendanceRecorded', 'AssessmentRecorded'];
/**
 * The commands that record what the session delivers: each judges the trainers again (a
 * revocation, an expiry or a departure since scheduling stops them). Withdrawal, cancellation and
 * voids record nothing delivered and stay possible.
 */
const RECORDING: readonly SessionCommand['type'][] = [
  'EnrolParticipant',
  'RecordAttendance',
  'RecordAssessment',
  'CloseSession',
];

export function decideSession(
  command: SessionCommand,
  state: SessionState,
  context: SessionContext,
): SessionEvent[] {
  const emit = eventFactory<SessionEvent>(command, context);
  if (command.type === 'ScheduleSession') {
    if (state.status !== 'none') throw sessionErrors.alreadyScheduled(command.data.sessionId);
    return [emit('SessionScheduled', schedule(command, context))];
  }
  if (state.status === 'none')
    throw sessionErrors.notFound('sessionId' in command.data ? command.data.sessionId : '');
  if (!state.jurisdictions.some((code) => actsIn(context.actor, code)))
    assertActsIn(context.actor, state.jurisdictions);
  const { sessionId } = state;
  if (command.type === 'VoidRecord') {
    // Corrections stay possible on a closed session: that is when mistakes are found.
    const records = Object.values(state.participants).flatMap((p) => [
      ...p.attendance.map((r) => ({ eventId: r.eventId ?? '', type: VOIDABLE[0]!, voided: r.voided })),
      ...p.assessment.map((r) => ({ eventId: r.eventId ?? '', type: VOIDABLE[1]!, voided: r.voided })),
    ]);
    const { targetType, reason } = checkVoid(command, records, VOIDABLE);
    const { targetEventId } = command.data;
    const voided = emit('RecordVoided', {
      stream: sessionStream(sessionId),
      targetEventId,
      targetType,
      reason,
    });
    return [{ ...voided, metadata: { ...voided.metadata, reason } }];
  }
  if (state.status === 'closed') throw sessionErrors.closed(sessionId);
  if (state.status === 'cancelled') throw sessionErrors.cancelled(sessionId);
  const started = toMillis(emit.occurredAt) >= toMillis(state.startsAt);
  if (RECORDING.includes(command.type)) checkTrainers(state, requireContext(context.trainers, 'trainers'));
  switch (command.type) {
    case 'EnrolParticipant': {
      const participant = requireContext(context.participant, 'participant');
      checkEnrolment(state, participant, emit.occurredAt);
      const { staffId, agency, jurisdiction } = participant;
      return [emit('ParticipantEnrolled', { sessionId, staffId, agency, jurisdiction })];
    }
    case 'WithdrawParticipant': {
      const participant = enrolled(state, command.data.staffId);
      if (current(participant.attendance))
        throw sessionErrors.alreadyRecorded(participant.staffId, 'attendance');
      const reason = command.data.reason?.trim() || null;
      return [emit('ParticipantWithdrawn', { sessionId, staffId: participant.staffId, reason })];
    }
    case 'RecordAttendance': {
      if (!started) throw sessionErrors.notStarted(state.startsAt);
      const { staffId } = enrolled(state, command.data.staffId);
      if (current(state.participants[staffId]!.attendance))
        throw sessionErrors.alreadyRecorded(staffId, 'attendance');
      const attendance = requireOneOf(
        command.data.attendance,
        ['present', 'partial', 'absent'] as const,
        'attendance',
      );
      const hours =
        attendance === 'absent'
          ? requireNumber(command.data.hours, 'hours', 0, 0)
          : requireNumber(command.data.hours, 'hours', 0.25, 500);
      return [emit('AttendanceRecorded', { sessionId, staffId, attendance, hours })];
    }
    case 'RecordAssessment': {
      if (!started) throw sessionErrors.notStarted(state.startsAt);
      const participant = enrolled(state, command.data.staffId);
      const { staffId } = participant;
      if (current(participant.assessment)) throw sessionErrors.alreadyRecorded(staffId, 'assessment');
      if (current(participant.attendance)?.value.attendance === 'absent')
        throw sessionErrors.absentNotAssessed(staffId);
      const result = requireOneOf(command.data.result, ['passed', 'failed'] as const, 'result');
      const score =
        command.data.score === undefined ? null : requireNumber(command.data.score, 'score', 0, 100);
      return [emit('AssessmentRecorded', { sessionId, staffId, result, score })];
    }
    case 'ReplaceSessionTrainer':
      return [
        emit(
          'SessionTrainerReplaced',
          replacement(command, state, requireContext(context.trainers, 'trainers')),
        ),
      ];
    case 'CloseSession':
      if (!started) throw sessionErrors.notStarted(state.startsAt);
      return [emit('SessionClosed', { sessionId })];
    case 'CancelSession':
      return [emit('SessionCancelled', { sessionId, reason: requireText(command.data.reason, 'reason') })];
    default:
      return assertNever(command);
  }
}

/**
 * A training session (`session-<id>`). Closing it lets the award process certify those who
 * passed (`passedParticipants`); whether it was joint is derived (`isJointSession`).
 */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState, SessionContext> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: initialSessionState,
};

function schedule(command: ScheduleSession, context: SessionContext) {
  const { sessionId, programmeId, location } = command.data;
  const programme = requireContext(context.programme, 'programme');
  if (programme.status === 'none') throw programmeErrors.notFound(programmeId);
  if (programme.status === 'retired') throw programmeErrors.retired(programmeId);
  const startsAt = toInstant(toMillis(command.data.startsAt, 'startsAt'));
  const endsAt = toInstant(toMillis(command.data.endsAt, 'endsAt'));
  if (toMillis(endsAt) <= toMillis(startsAt)) throw sessionErrors.invalidDates(startsAt, endsAt);
  const jurisdictions = [...new Set(requireNonEmpty(command.data.jurisdictions, 'jurisdictions'))];
  assertActsIn(context.actor, jurisdictions);
  const agencies = [...new Set(requireNonEmpty(command.data.agencies, 'agencies'))].map((a) =>
    requireOneOf(a, AGENCIES, 'agencies'),
  );
  const trainers = [...new Set(requireNonEmpty(command.data.trainers, 'trainers'))];
  const capacity = requireInteger(command.data.capacity, 'capacity', 1, MAX_CAPACITY);
  const competencies = programme.competencies;
  const records = requireContext(context.trainers, 'trainers');
  const gaps = trainerGaps(trainers, competencies, records, startsAt, endsAt);
  if (gaps.length > 0) throw sessionErrors.trainerNotAccredited(gaps);
  return {
    sessionId,
    programmeId,
    competencies,
    startsAt,
    endsAt,
    location: requireText(location, 'location'),
    jurisdictions,
    agencies,
    trainers,
    capacity,
  };
}

function checkEnrolment(state: SessionRecord, participant: StaffSnapshot, at: string): void {
  const { staffId } = participant;
  if (state.participants[staffId]?.enrolled) throw sessionErrors.alreadyEnrolled(staffId);
  if (toMillis(at) >= toMillis(state.endsAt)) throw sessionErrors.ended(state.endsAt);
  if (participant.status !== 'active')
    throw sessionErrors.participantNotEligible(staffId, 'they have left the service');
  if (state.trainers.includes(staffId))
    throw sessionErrors.participantNotEligible(staffId, 'they train this session');
  if (!state.agencies.includes(participant.agency)) {
    throw sessionErrors.participantNotEligible(
      staffId,
      `the session is not open to the ${participant.agency} agency`,
    );
  }
  if (!state.jurisdictions.includes(participant.jurisdiction)) {
    throw sessionErrors.participantNotEligible(
      staffId,
      `the session is not open to ${participant.jurisdiction}`,
    );
  }
  const enrolledCount = Object.values(state.participants).filter((p) => p.enrolled).length;
  if (enrolledCount >= state.capacity) throw sessionErrors.capacityReached(state.sessionId, state.capacity);
}

function enrolled(state: SessionRecord, staffId: string) {
  const participant = state.participants[staffId];
  if (!participant?.enrolled) throw sessionErrors.notEnrolled(staffId);
  return participant;
}
