import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import { insertRows, onConflictUpdate } from './sql-rows.js';
import { closedRowsIndexSql, loadVersionRows, VersionChanges } from './versions.js';
import type { Fact, HistorySpec, Interval } from './history-spec.js';
import { HistoryMemory } from './history-memory.js';
import {
  currentColumns,
  currentRows,
  earliestRecordTime,
  FACT_COLUMNS,
  iso,
  recordVersions,
  rowColumns,
  rowValues,
} from './history-rows.js';

export function historyTablesSql(schema: string, spec: HistorySpec): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${schema}.${spec.factsTable} (
      seq bigserial,
      entity text NOT NULL,
      event_id uuid PRIMARY KEY,
      type text NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      data jsonb NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS ${spec.factsTable}_by_entity ON ${schema}.${spec.factsTable} (entity, seq)`,
    ...spec.histories.flatMap((history) => [
      `CREATE TABLE IF NOT EXISTS ${schema}.${history.table} (
        id bigserial PRIMARY KEY,
        entity text NOT NULL,
        ${history.columns.map((c) => `${c.name} ${c.type}`).join(',\n        ')},
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        recorded_at timestamptz NOT NULL,
        superseded_at timestamptz,
        fingerprint text NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${history.table}_believed ON ${schema}.${history.table} (entity) WHERE superseded_at IS NULL`,
      `CREATE INDEX IF NOT EXISTS ${history.table}_by_time ON ${schema}.${history.table} (valid_from, recorded_at)`,
      closedRowsIndexSql(schema, history.table),
    ]),
    ...(spec.currents ?? []).map(
      (current) => `CREATE TABLE IF NOT EXISTS ${schema}.${current.table} (
        entity text PRIMARY KEY,
        ${current.columns.map((c) => `${c.name} ${c.type}`).join(',\n        ')},
        fingerprint text NOT NULL
      )`,
    ),
  ];
}

/**
 * Applies a batch to bitemporal histories. Each affected entity's timeline is recomputed from all
 * its facts known at each record time the batch brings, and compared with the rows still
 * believed: a row no longer in the timeline has its knowledge closed (`superseded_at` = that
 * record time), a new one is inserted with `recorded_at` = it. Rows are never updated otherwise,
 * so a query at an earlier `knownAt` answers exactly as it did then, and a back-dated fact changes
 * the answer for its business date only from the moment it was recorded.
 */
export async function applyHistory(
  tx: ProjectionTransaction,
  spec: HistorySpec,
  events: readonly RecordedEvent[],
): Promise<void> {
  const facts = events.flatMap((event) => {
    const fact = spec.factOf(event);
    return fact ? [{ event, ...fact }] : [];
  });
  if (facts.length === 0) return;
  if (tx.memory) {
    const memory = tx.memory.part(`history:${spec.factsTable}`, () => new HistoryMemory(spec));
    await memory.apply(tx, facts);
    return;
  }
  await insertRows(
    tx,
    spec.factsTable,
    FACT_COLUMNS,
    facts.map((f) => [
      f.entity,
      f.event.eventId,
      f.event.type,
      f.event.metadata.occurredAt,
      f.event.recordedAt,
      f.data,
    ]),
  );
  const entities = [...new Set(facts.map((f) => f.entity))];
  const rows = await tx.query<{
    entity: string;
    event_id: string;
    type: string;
    occurred_at: Date;
    recorded_at: Date;
    data: Record<string, unknown>;
  }>(
    `SELECT entity, event_id, type, occurred_at, recorded_at, data FROM ${tx.schema}.${spec.factsTable}
     WHERE entity = ANY($1::text[]) ORDER BY seq`,
    [entities],
  );
  const factsOf = new Map<string, Fact[]>();
  for (const row of rows) {
    const list = factsOf.get(row.entity) ?? [];
    list.push({
      eventId: row.event_id,
      type: row.type,
      occurredAt: iso(row.occurred_at),
      recordedAt: iso(row.recorded_at),
      data: row.data,
    });
    factsOf.set(row.entity, list);
  }
  const since = earliestRecordTime(facts);
  for (const history of spec.histories) {
    const changes = new VersionChanges<Interval>(
      await loadVersionRows(tx, history.table, { id: 'id', entity: 'entity' }, entities, since),
    );
    recordVersions(changes, history, facts, factsOf);
    await changes.write(tx, history.table, 'id');
    await insertRows(tx, history.table, rowColumns(history), changes.inserts().map(rowValues), '');
  }
  for (const current of spec.currents ?? []) {
    const rows = currentRows(current, entities, factsOf);
    const gone = entities.filter((_, i) => rows[i] === null);
    if (gone.length > 0)
      await tx.query(`DELETE FROM ${tx.schema}.${current.table} WHERE entity = ANY($1::text[])`, [gone]);
    const columns = currentColumns(current);
    await insertRows(
      tx,
      current.table,
      columns,
      rows.flatMap((row) => (row ? [row] : [])),
      onConflictUpdate('entity', columns),
    );
  }
}
