import type { Projection } from '../../projection.js';
import { applyHistory, historyTablesSql, type HistorySpec } from '../bitemporal/history.js';
import { attendanceTimeline } from './joint-training.timelines.js';

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
      columns: [
        { name: 'staff_id', type: 'text' },
        { name: 'agency', type: 'text' },
        { name: 'jurisdiction', type: 'text' },
        { name: 'attendance', type: 'text' },
        { name: 'starts_at', type: 'timestamptz' },
        { name: 'session_jurisdictions', type: 'text[]' },
      ],
      timeline: attendanceTimeline,
    },
  ],
};

/** The joint-training query reads the attendances of sessions started in its window. */
export const jointTrainingIndexes = (schema: string): string[] => [
  `CREATE INDEX IF NOT EXISTS attendances_by_start ON ${schema}.attendances (starts_at)`,
];

/**
 * Joint training: who attended which session (entity = the session id), a bitemporal history from
 * which the query derives joint sessions (prison and probation both attended) per period and the
 * share of each agency's staff with a joint attendance in the last N months.
 */
export const jointTrainingProjection = (): Projection => ({
  name: 'joint-training',
  version: 2,
  handles: SESSION_TYPES,
  tables: ['session_facts', 'attendances'],
  schema: JOINT_TRAINING_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const sql of historyTablesSql(schema, sessionHistory)) await tx.query(sql);
    for (const sql of jointTrainingIndexes(schema)) await tx.query(sql);
  },
  apply: (events, tx) => applyHistory(tx, sessionHistory, events),
});
