import type { VoidRecord } from '../shared/corrections.js';
import type { DomainCommand } from '../shared/decider.js';
import type { Agency } from '../shared/agencies.js';
import type { Instant } from '../shared/time.js';
import type { AssessmentResult, Attendance } from './session.events.js';

type Ref = { readonly sessionId: string; readonly staffId: string };

/** The programme's competencies are taken from `context.programme`, not from the caller. */
export type ScheduleSession = DomainCommand<
  'ScheduleSession',
  {
    readonly sessionId: string;
    readonly programmeId: string;
    readonly startsAt: Instant;
    readonly endsAt: Instant;
    readonly location: string;
    readonly jurisdictions: readonly string[];
    readonly agencies: readonly Agency[];
    readonly trainers: readonly string[];
    readonly capacity: number;
  }
>;
/** The participant's agency and jurisdiction come from `context.participant`, read from their stream. */
export type EnrolParticipant = DomainCommand<'EnrolParticipant', Ref>;
export type WithdrawParticipant = DomainCommand<'WithdrawParticipant', Ref & { readonly reason?: string }>;
export type RecordAttendance = DomainCommand<
  'RecordAttendance',
  Ref & { readonly attendance: Attendance; readonly hours: number }
>;
export type RecordAssessment = DomainCommand<
  'RecordAssessment',
  Ref & { readonly result: AssessmentResult; readonly score?: number }
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
export type CloseSession = DomainCommand<'CloseSession', { readonly sessionId: string }>;
export type CancelSession = DomainCommand<
  'CancelSession',
  { readonly sessionId: string; readonly reason: string }
>;

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
