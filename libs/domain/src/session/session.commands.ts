import type { VoidRecord } from '../shared/corrections.js';
import type { DomainCommand } from '../shared/decider.js';
import type {
  AssessmentResult,
  AttendanceEntry,
  ParticipantRef,
  SessionPlan,
  SessionRef,
} from './session.events.js';

/** The session's plan: the programme's competencies are taken from `context.programme`, not from the caller. */
export type ScheduleSession = DomainCommand<
  'ScheduleSession',
  SessionRef & Omit<SessionPlan, 'competencies'>
>;
/** The participant's agency and jurisdiction come from `context.participant`, read from their stream. */
export type EnrolParticipant = DomainCommand<'EnrolParticipant', ParticipantRef>;
export type WithdrawParticipant = DomainCommand<
  'WithdrawParticipant',
  ParticipantRef & { readonly reason?: string }
>;
export type RecordAttendance = DomainCommand<'RecordAttendance', AttendanceEntry>;
export type RecordAssessment = DomainCommand<
  'RecordAssessment',
  ParticipantRef & { readonly result: AssessmentResult; readonly score?: number }
>;
/** The replacement's certifications and departure come from `context.trainers`. */
export type ReplaceSessionTrainer = DomainCommand<
  'ReplaceSessionTrainer',
  {
    readonly sessionId: string;
    readonly replace: string;
    readonly with: string;
    readonly reason?: string;
  }
>;
export type CloseSession = DomainCommand<'CloseSession', SessionRef>;
export type CancelSession = DomainCommand<'CancelSession', SessionRef & { readonly reason: string }>;

export type SessionCommand =
  | ScheduleSession
  | EnrolParticipant
  | WithdrawParticipant
  | RecordAttendance
  | RecordAssessment
  | ReplaceSessionTrainer
  | CloseSession
  | CancelSession
  | VoidRecord;
