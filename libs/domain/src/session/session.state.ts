import type { Agency } from '../shared/agencies.js';
import { assertNever } from '../shared/decider.js';
import type { AssessmentResult, Attendance, SessionEvent, SessionPlan } from './session.events.js';

interface RecordOf<Value> {
  readonly eventId: string | null;
  readonly value: Value;
  readonly voided: boolean;
}

export interface Participant {
  readonly staffId: string;
  readonly agency: Agency;
  readonly jurisdiction: string;
  readonly enrolled: boolean;
  readonly attendance: readonly RecordOf<{ readonly attendance: Attendance; readonly hours: number }>[];
  readonly assessment: readonly RecordOf<{
    readonly result: AssessmentResult;
    readonly score: number | null;
  }>[];
}

export interface SessionRecord extends SessionPlan {
  readonly sessionId: string;
  readonly participants: Readonly<Record<string, Participant>>;
}

/** Scheduled, then closed (read-only but correctable by voiding) or cancelled. */
export type SessionState =
  | { readonly status: 'none' }
  | ({ readonly status: 'scheduled' } & SessionRecord)
  | ({ readonly status: 'closed' } & SessionRecord)
  | ({ readonly status: 'cancelled' } & SessionRecord);

export const initialSessionState = (): SessionState => ({ status: 'none' });

/** The record in force: the latest one not voided. */
export function current<Value>(records: readonly RecordOf<Value>[]): RecordOf<Value> | undefined {
  return records.filter((record) => !record.voided).at(-1);
}

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionScheduled') return { status: 'scheduled', ...event.data, participants: {} };
  if (state.status === 'none') return state;
  const eventId = event.metadata?.eventId ?? null;
  switch (event.type) {
    case 'ParticipantEnrolled': {
      const { staffId, agency, jurisdiction } = event.data;
      const before = state.participants[staffId];
      const participant: Participant = {
        staffId,
        agency,
        jurisdiction,
        enrolled: true,
        attendance: before?.attendance ?? [],
        assessment: before?.assessment ?? [],
      };
      return { ...state, participants: { ...state.participants, [staffId]: participant } };
    }
    case 'ParticipantWithdrawn':
      return change(state, event.data.staffId, (p) => ({ ...p, enrolled: false }));
    case 'AttendanceRecorded': {
      const { attendance, hours } = event.data;
      const record = { eventId, value: { attendance, hours }, voided: false };
      return change(state, event.data.staffId, (p) => ({ ...p, attendance: [...p.attendance, record] }));
    }
    case 'AssessmentRecorded': {
      const { result, score } = event.data;
      const record = { eventId, value: { result, score }, voided: false };
      return change(state, event.data.staffId, (p) => ({ ...p, assessment: [...p.assessment, record] }));
    }
    case 'SessionTrainerReplaced': {
      const { replaced, replacement } = event.data;
      return { ...state, trainers: state.trainers.map((t) => (t === replaced ? replacement : t)) };
    }
    case 'SessionClosed':
      return { ...state, status: 'closed' };
    case 'SessionCancelled':
      return { ...state, status: 'cancelled' };
    case 'RecordVoided': {
      const { targetEventId } = event.data;
      const voidIn = <V>(records: readonly RecordOf<V>[]) =>
        records.map((r) => (r.eventId === targetEventId ? { ...r, voided: true } : r));
      const participants = Object.fromEntries(
        Object.entries(state.participants).map(([id, p]) => [
          id,
          { ...p, attendance: voidIn(p.attendance), assessment: voidIn(p.assessment) },
        ]),
      );
      return { ...state, participants };
    }
    default:
      return assertNever(event);
  }
}

function change(
  state: Extract<SessionState, SessionRecord>,
  staffId: string,
  f: (p: Participant) => Participant,
) {
  const participant = state.participants[staffId];
  return participant
    ? { ...state, participants: { ...state.participants, [staffId]: f(participant) } }
    : state;
}

/**
 * Joint is derived, never declared: participants of both prison and probation attended (present
 * or partial, not voided).
 */
export function isJointSession(state: SessionState): boolean {
  if (state.status === 'none') return false;
  const attended = Object.values(state.participants).filter((p) => {
    const record = current(p.attendance);
    return record !== undefined && record.value.attendance !== 'absent';
  });
  return attended.some((p) => p.agency === 'prison') && attended.some((p) => p.agency === 'probation');
}

/**
 * Who passed, with the assessment's event id as evidence: the award process reads this on
 * `SessionClosed` and awards each competency of the session at its level.
 */
export function passedParticipants(
  state: SessionState,
): { staffId: string; assessmentEventId: string | null }[] {
  if (state.status === 'none') return [];
  return Object.values(state.participants).flatMap((p) => {
    const assessment = current(p.assessment);
    return p.enrolled && assessment?.value.result === 'passed'
      ? [{ staffId: p.staffId, assessmentEventId: assessment.eventId }]
      : [];
  });
}

/** The participant an assessment record (by its event id) concerns, if this session holds it. */
export function assessedParticipant(state: SessionState, assessmentEventId: string): string | undefined {
  if (state.status === 'none') return undefined;
  return Object.values(state.participants).find((p) =>
    p.assessment.some((record) => record.eventId === assessmentEventId),
  )?.staffId;
}
