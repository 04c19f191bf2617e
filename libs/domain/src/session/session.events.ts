import type { Agency } from '../shared/agencies.js';
import type { RecordVoided } from '../shared/corrections.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Instant } from '../shared/time.js';
import type { GrantedCompetency } from '../programme/programme.events.js';

export type Attendance = 'present' | 'partial' | 'absent';
export type AssessmentResult = 'passed' | 'failed';

export interface SessionPlan {
  readonly programmeId: string;
  /** Copied from the programme when scheduled: a later revision does not change what was taught. */
  readonly competencies: readonly GrantedCompetency[];
  readonly startsAt: Instant;
  readonly endsAt: Instant;
  readonly location: string;
  readonly jurisdictions: readonly string[];
  readonly agencies: readonly Agency[];
  readonly trainers: readonly string[];
  readonly capacity: number;
}

export interface SessionRef {
  readonly sessionId: string;
}

/** A participant of the session (the data of the participant's commands and events). */
export interface ParticipantRef extends SessionRef {
  readonly staffId: string;
}

export type SessionScheduled = DomainEvent<'SessionScheduled', SessionPlan & SessionRef>;
export type ParticipantEnrolled = DomainEvent<
  'ParticipantEnrolled',
  ParticipantRef & { readonly agency: Agency; readonly jurisdiction: string }
>;
export type ParticipantWithdrawn = DomainEvent<
  'ParticipantWithdrawn',
  ParticipantRef & { readonly reason: string | null }
>;
/** A participant's attendance, as RecordAttendance asks for it and AttendanceRecorded records it. */
export interface AttendanceEntry extends ParticipantRef {
  readonly attendance: Attendance;
  readonly hours: number;
}

export type AttendanceRecorded = DomainEvent<'AttendanceRecorded', AttendanceEntry>;
export type AssessmentRecorded = DomainEvent<
  'AssessmentRecorded',
  ParticipantRef & { readonly result: AssessmentResult; readonly score: number | null }
>;
/** One trainer hands over to another from `occurredAt` on; the replaced one stays in the log. */
export type SessionTrainerReplaced = DomainEvent<
  'SessionTrainerReplaced',
  {
    readonly sessionId: string;
    readonly replaced: string;
    readonly replacement: string;
    readonly reason: string | null;
  }
>;
export type SessionClosed = DomainEvent<'SessionClosed', SessionRef>;
export type SessionCancelled = DomainEvent<'SessionCancelled', SessionRef & { readonly reason: string }>;

export type SessionEvent =
  | SessionScheduled
  | ParticipantEnrolled
  | ParticipantWithdrawn
  | AttendanceRecorded
  | AssessmentRecorded
  | SessionTrainerReplaced
  | SessionClosed
  | SessionCancelled
  | RecordVoided;

export const sessionStream = (sessionId: string): string => `session-${sessionId}`;
