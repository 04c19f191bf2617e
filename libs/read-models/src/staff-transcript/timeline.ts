import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import { insertRows } from '../bitemporal/sql-rows.js';
import { closedRowsIndexSql, loadVersionRows, VersionChanges } from '../bitemporal/versions.js';
import type { Fact, History, Segment, TimelineSpec } from './timeline-segments.js';
import { TimelineMemory } from './timeline-memory.js';
import {
  earliestRecordTime,
  FACT_COLUMNS,
  factValues,
  recordHistories,
  rowColumns,
  rowValuesOf,
  type BatchFact,
} from './timeline-rows.js';

/** The facts table of a schema with timelines, and an index for the believed rows of a history. */
export async function createTimelineTables(
  tx: ProjectionTransaction,
  schema: string,
  specs: readonly TimelineSpec<unknown>[],
): Promise<void> {
  await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.facts (
    history text NOT NULL,
    entity_key text NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    data jsonb NOT NULL,
    seq bigserial,
    PRIMARY KEY (history, entity_key, event_id))`);
  await tx.query(`CREATE INDEX IF NOT EXISTS facts_by_event ON ${schema}.facts (event_id)`);
  for (const spec of specs) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.${spec.table} (
      row_id bigserial PRIMARY KEY,
      entity_key text NOT NULL,
      ${spec.columns.map((column) => `${column.name} ${column.type}`).join(',\n      ')},
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      recorded_at timestamptz NOT NULL,
      superseded_at timestamptz,
      fingerprint text NOT NULL)`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS ${spec.table}_believed ON ${schema}.${spec.table} (entity_key) WHERE superseded_at IS NULL`,
    );
    await tx.query(closedRowsIndexSql(schema, spec.table));
  }
}

/**
 * Applies a batch to bitemporal histories. Each event's facts are stored; for each entity touched,
 * its timeline is recomputed at each record time the batch brings, and compared with the rows
 * still believed: a row that is no longer in the timeline has its knowledge closed
 * (`superseded_at` = that record time), a segment not yet believed is inserted with
 * `recorded_at` = it, and a segment that did not change keeps its row. Rows are never updated
 * otherwise, so a query at an earlier `knownAt` answers exactly as it did then, and a back-dated
 * fact changes the answer for its business date only from the moment it was recorded.
 */
export async function applyTimelines(
  tx: ProjectionTransaction,
  specs: readonly TimelineSpec<unknown>[],
  events: readonly RecordedEvent[],
): Promise<void> {
  const memory = tx.memory?.part(
    `timelines:${specs.map((spec) => spec.table).join(',')}`,
    () => new TimelineMemory(specs),
  );
  const facts: BatchFact[] = [];
  const voidTargets = events.filter((e) => e.type === 'RecordVoided').map((e) => targetOf(e));
  const owners = new Map<string, { history: string; key: string }[]>();
  const own = (eventId: string, owner: { history: string; key: string }): void => {
    const list = owners.get(eventId);
    if (list) list.push(owner);
    else owners.set(eventId, [owner]);
  };
  if (voidTargets.length > 0) {
    const stored = memory
      ? memory.ownersOf(voidTargets)
      : await tx.query<{ history: string; entity_key: string; event_id: string }>(
          `SELECT history, entity_key, event_id::text FROM ${tx.schema}.facts WHERE event_id = ANY($1::uuid[])`,
          [voidTargets],
        );
    for (const row of stored) own(row.event_id, { history: row.history, key: row.entity_key });
  }
  for (const event of events) {
    const fact = toFact(event);
    if (event.type === 'RecordVoided') {
      for (const owner of owners.get(targetOf(event)) ?? []) facts.push({ ...owner, fact });
      continue;
    }
    for (const spec of specs)
      for (const key of spec.keysOf(event)) {
        facts.push({ history: spec.table, key, fact });
        if (voidTargets.length > 0) own(fact.eventId, { history: spec.table, key });
      }
  }
  if (facts.length === 0) return;
  if (memory) {
    await memory.apply(tx, facts);
    return;
  }
  await insertRows(tx, 'facts', FACT_COLUMNS, facts.map(factValues));
  const histories = await loadHistories(tx, specs, facts);
  const since = new Date(earliestRecordTime(facts)).toISOString();
  for (const spec of specs) {
    const mine = histories.filter((history) => history.spec === spec);
    if (mine.length === 0) continue;
    const changes = new VersionChanges<Segment<unknown>>(
      await loadVersionRows(
        tx,
        spec.table,
        { id: 'row_id', entity: 'entity_key' },
        mine.map((history) => history.key),
        since,
      ),
    );
    recordHistories(changes, spec, mine);
    await changes.write(tx, spec.table, 'row_id');
    await insertRows(tx, spec.table, rowColumns(spec), changes.inserts().map(rowValuesOf(spec)), '');
  }
}

async function loadHistories(
  tx: ProjectionTransaction,
  specs: readonly TimelineSpec<unknown>[],
  batchFacts: readonly { history: string; key: string; fact: Fact }[],
): Promise<History[]> {
  const touched = new Map<string, History>();
  const specOf = new Map(specs.map((spec) => [spec.table, spec]));
  const inBatch = new Set<string>();
  for (const { history, key, fact } of batchFacts) {
    const id = `${history}\u0000${key}`;
    let entry = touched.get(id);
    if (!entry) {
      entry = { spec: specOf.get(history)!, key, earlier: [], batch: [] };
      touched.set(id, entry);
    }
    entry.batch.push(fact);
    inBatch.add(`${id}\u0000${fact.eventId}`);
  }
  const entries = [...touched.values()];
  const stored = await tx.query<{
    history: string;
    entity_key: string;
    event_id: string;
    type: string;
    occurred_at: string;
    recorded_at: string;
    data: Record<string, unknown>;
  }>(
    `SELECT f.history, f.entity_key, f.event_id::text, f.type,
            to_json(f.occurred_at) #>> '{}' AS occurred_at, to_json(f.recorded_at) #>> '{}' AS recorded_at, f.data
       FROM ${tx.schema}.facts f
       JOIN unnest($1::text[], $2::text[]) AS t(history, key) ON f.history = t.history AND f.entity_key = t.key
      ORDER BY f.seq`,
    [entries.map((e) => e.spec.table), entries.map((e) => e.key)],
  );
  for (const row of stored) {
    const id = `${row.history}\u0000${row.entity_key}`;
    if (inBatch.has(`${id}\u0000${row.event_id}`)) continue;
    touched.get(id)!.earlier.push({
      eventId: row.event_id,
      type: row.type,
      occurredAt: new Date(row.occurred_at).toISOString(),
      recordedAt: new Date(row.recorded_at).toISOString(),
      data: row.data,
    });
  }
  return entries;
}

const targetOf = (event: RecordedEvent): string =>
  String((event.data as { targetEventId: string }).targetEventId);

// Sealed personal data never enters a history's facts: the names table is its one place.
// One fact per event, whichever projection reads it: a rebuild hands the same event objects to
// every projection, and the facts it keeps in memory are shared (they are never changed).
const factOfEvent = new WeakMap<RecordedEvent, Fact>();
const toFact = (event: RecordedEvent): Fact => {
  let fact = factOfEvent.get(event);
  if (!fact) {
    const { personalData: sealed, ...rest } = event.data as Record<string, unknown>;
    fact = {
      eventId: event.eventId,
      type: event.type,
      occurredAt: new Date(event.metadata.occurredAt).toISOString(),
      recordedAt: new Date(event.recordedAt).toISOString(),
      data: sealed === undefined ? (event.data as Record<string, unknown>) : rest,
    };
    factOfEvent.set(event, fact);
  }
  return fact;
};
