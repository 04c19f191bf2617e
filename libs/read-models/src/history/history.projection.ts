import type { RecordedEvent } from '@cadre/event-store';
import { ALL_EVENTS, type Projection, type ProjectionTransaction } from '@cadre/subscriptions';
import { copyRows, insertRows, type Column, columnsOf } from '../bitemporal/sql-rows.js';

export const HISTORY_SCHEMA = 'rm_history';

/**
 * An index of the whole log for auditors: each stream's head (revision and hash, what signed
 * integrity checkpoints record) and every event by correlation id and by event id (everything one
 * request caused; where a record to void lives). Works for every event-store adapter, since it
 * is fed by the subscription rather than by the store's own tables.
 */
export const historyProjection = (): Projection => ({
  name: 'history',
  version: 1,
  handles: [ALL_EVENTS],
  tables: ['stream_heads', 'events'],
  schema: HISTORY_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.stream_heads (
      stream text PRIMARY KEY,
      category text NOT NULL,
      revision bigint NOT NULL,
      hash text NOT NULL,
      position text NOT NULL,
      recorded_at timestamptz NOT NULL)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.events (
      event_id uuid PRIMARY KEY,
      correlation_id text NOT NULL,
      causation_id text,
      stream text NOT NULL,
      revision bigint NOT NULL,
      type text NOT NULL,
      actor_sub text,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      position text NOT NULL,
      ordinal bigserial)`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS events_by_correlation ON ${schema}.events (correlation_id, ordinal)`,
    );
  },
  apply: async (events, tx) => {
    await insertEvents(events, tx);
    await upsertHeads(events, tx);
  },
});

const EVENT_COLUMNS: readonly Column[] = columnsOf({
  event_id: 'uuid',
  correlation_id: 'text',
  causation_id: 'text',
  stream: 'text',
  revision: 'bigint',
  type: 'text',
  actor_sub: 'text',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  position: 'text',
});

async function insertEvents(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  const rows = events.map((e) => [
    e.eventId,
    e.metadata.correlationId,
    e.metadata.causationId,
    e.stream,
    e.revision,
    e.type,
    e.metadata.actor?.sub ?? null,
    e.metadata.occurredAt,
    e.recordedAt,
    e.position,
  ]);
  // A rebuild reads each event once into tables of its own: COPY. The live runner may meet an
  // event again (a batch retried after a crash): ON CONFLICT.
  if (tx.memory) await copyRows(tx, 'events', EVENT_COLUMNS, rows);
  else await insertRows(tx, 'events', EVENT_COLUMNS, rows, 'ON CONFLICT (event_id) DO NOTHING');
}

async function upsertHeads(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  // The last event of each stream in the batch is its head (events arrive in global order).
  const heads = new Map<string, RecordedEvent>();
  for (const event of events) heads.set(event.stream, event);
  const rows = [...heads.values()];
  await tx.query(
    `INSERT INTO ${tx.schema}.stream_heads (stream, category, revision, hash, position, recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (stream) DO UPDATE SET revision = EXCLUDED.revision, hash = EXCLUDED.hash,
       position = EXCLUDED.position, recorded_at = EXCLUDED.recorded_at
       WHERE ${tx.schema}.stream_heads.revision < EXCLUDED.revision`,
    [
      rows.map((e) => e.stream),
      rows.map((e) => e.stream.slice(0, e.stream.indexOf('-'))),
      rows.map((e) => e.revision),
      rows.map((e) => e.hash),
      rows.map((e) => e.position),
      rows.map((e) => e.recordedAt),
    ],
  );
}
