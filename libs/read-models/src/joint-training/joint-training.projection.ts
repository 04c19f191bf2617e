import type { Projection } from '@cadre/subscriptions';
import { historiesProjection } from '../bitemporal/history.projection.js';
import type { HistorySpec } from '../bitemporal/history-spec.js';
import { attendanceTimeline, jointSessionTimeline } from './joint-training.timelines.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export const JOINT_TRAINING_SCHEMA = 'rm_joint_training';

const SESSION_TYPES = [
  'SessionScheduled',
  'ParticipantEnrolled',
  'AttendanceRecorded',
  'SessionCancelled',
  'RecordVoided',
];

const sessionHistory: HistorySpec = {
  factsTable: 'session_facts',
  factOf: (event) =>
    SESSION_TYPES.includes(event.type) && event.stream.startsWith('session-')
      ? { entity: event.stream.slice('session-'.length), data: event.data as Record<string, unknown> }
      : null,
  histories: [
    {
      table: 'attendances',
      columns: columnsOf({
        staff_id: 'text',
        agency: 'text',
        jurisdiction: 'text',
        attendance: 'text',
        starts_at: 'timestamptz',
        session_jurisdictions: 'text[]',
      }),
      timeline: attendanceTimeline,
    },
    {
      table: 'joint_sessions',
      columns: columnsOf({ starts_at: 'timestamptz', session_jurisdictions: 'text[]' }),
      timeline: jointSessionTimeline,
    },
  ],
};

/** The joint-training query reads the joint sessions, and their attendances, started in its window. */
export const jointTrainingIndexes = (schema: string): string[] => [
  `CREATE INDEX IF NOT EXISTS attendances_by_start ON ${schema}.attendances (starts_at)`,
  `CREATE INDEX IF NOT EXISTS joint_sessions_by_start ON ${schema}.joint_sessions (starts_at)`,
];

/**
 * Joint training: who attended which session (entity = the session id), and when each session was
 * joint (prison and probation both attended), bitemporal histories from which the query counts
 * joint sessions per period and the share of each agency's staff with a joint attendance in the
 * last N months.
 */
export const jointTrainingProjection = (): Projection =>
  historiesProjection({
    name: 'joint-training',
    version: 3,
    handles: SESSION_TYPES,
    schema: JOINT_TRAINING_SCHEMA,
    history: sessionHistory,
    indexes: jointTrainingIndexes,
  });
