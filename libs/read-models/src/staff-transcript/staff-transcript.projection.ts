import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { insertRows, updateByKey, columnsOf } from '../bitemporal/sql-rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from './staff-names.js';
import {
  CERTIFICATION_EVENTS,
  MEMBER_EVENTS,
  TRAINING_EVENTS,
  certificationTimeline,
  memberTimeline,
  trainingTimeline,
} from './staff-timelines.js';
import { applyTimelines, createTimelineTables } from './timeline.js';
import type { TimelineSpec } from './timeline-segments.js';

export const STAFF_TRANSCRIPT_SCHEMA = 'rm_staff_transcript';

const TIMELINES = [memberTimeline, certificationTimeline, trainingTimeline] as TimelineSpec<unknown>[];

const SESSION_EVENTS = ['SessionScheduled', 'SessionTrainerReplaced', 'SessionClosed', 'SessionCancelled'];

/**
 * A person's transcript (DOMAIN read model 6): trainings (enrolment, attendance, assessment) and
 * certifications as of any date, as known at any date — bitemporal histories (see timeline.ts),
 * with the sessions they concern and the member's placement over time.
 */
export const staffTranscriptProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'staff-transcript',
  version: 2,
  handles: [
    ...MEMBER_EVENTS,
    'StaffPersonalDataErased',
    ...CERTIFICATION_EVENTS,
    ...TRAINING_EVENTS,
    'RecordVoided',
    ...SESSION_EVENTS,
  ],
  tables: ['facts', 'members', 'certifications', 'trainings', 'sessions', 'names'],
  schema: STAFF_TRANSCRIPT_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await createTimelineTables(tx, schema, TIMELINES);
    await createNamesTable(tx, schema);
    await createSessionsTable(tx, schema);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS certifications_by_staff ON ${schema}.certifications (staff_id)`,
    );
    await tx.query(`CREATE INDEX IF NOT EXISTS trainings_by_staff ON ${schema}.trainings (staff_id)`);
  },
  apply: async (events, tx) => {
    await applyTimelines(tx, TIMELINES, events);
    await applyNames(
      tx,
      deps,
      events.filter((e) => NAME_EVENTS.includes(e.type)),
    );
    await applySessions(
      tx,
      events.filter((e) => SESSION_EVENTS.includes(e.type)),
    );
  },
});

/** The sessions a transcript names: what was taught, when (their plan as scheduled) and how it ended. */
export const createSessionsTable = (tx: ProjectionTransaction, schema: string): Promise<unknown> =>
  tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.sessions (
    session_id text PRIMARY KEY,
    programme_id text NOT NULL,
    competencies jsonb NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    location text NOT NULL,
    jurisdictions text[] NOT NULL,
    trainers text[] NOT NULL,
    status text NOT NULL)`);

export async function applySessions(
  tx: ProjectionTransaction,
  events: readonly RecordedEvent[],
): Promise<void> {
  const scheduled: unknown[][] = [];
  const status = new Map<string, string>();
  const replacements: unknown[][] = [];
  for (const event of events) {
    const d = event.data as Record<string, unknown>;
    if (event.type === 'SessionTrainerReplaced') {
      replacements.push([d.sessionId, d.replaced, d.replacement]);
    } else if (event.type === 'SessionScheduled') {
      scheduled.push([
        d.sessionId,
        d.programmeId,
        d.competencies,
        d.startsAt,
        d.endsAt,
        d.location,
        d.jurisdictions,
        d.trainers,
        'scheduled',
      ]);
    } else {
      status.set(String(d.sessionId), event.type === 'SessionClosed' ? 'closed' : 'cancelled');
    }
  }
  await insertRows(
    tx,
    'sessions',
    columnsOf({
      session_id: 'text',
      programme_id: 'text',
      competencies: 'jsonb',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      location: 'text',
      jurisdictions: 'text[]',
      trainers: 'text[]',
      status: 'text',
    }),
    scheduled,
  );
  for (const values of replacements) {
    await tx.query(
      `UPDATE ${tx.schema}.sessions SET trainers = array_replace(trainers, $2, $3) WHERE session_id = $1`,
      values,
    );
  }
  await updateByKey(
    tx,
    'sessions',
    { name: 'session_id', type: 'text' },
    { name: 'status', type: 'text' },
    status,
  );
}
