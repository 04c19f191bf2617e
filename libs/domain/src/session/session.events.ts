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

type Ref = { readonly sessionId: string; readonly staffId: string };

export type SessionScheduled = DomainEvent<'SessionScheduled', SessionPlan & { readonly sessionId: string }>;
export type ParticipantEnrolled = DomainEvent<
  'ParticipantEnrolled',
  Ref & { readonly agency: Agency; readonly jurisdiction: string }
>;
export type ParticipantWithdrawn = DomainEvent<
  'ParticipantWithdrawn',
  Ref & { readonly reason: string | null }
>;
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  Ref & { readonly attendance: Attendance; readonly hours: number }
>;
export type AssessmentRecorded = DomainEvent<
  'AssessmentRecorded',
  Ref & { readonly result: AssessmentResult; readonly score: number | null }
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
export type SessionClosed = DomainEvent<'SessionClosed', { readonly sessionId: string }>;
export type SessionCancelled = DomainEvent<
  'SessionCancelled',
  { readonly sessionId: string; readonly reason: string }
>;

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
