import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '../../projection.js';
import { digest, insertRows, type Column } from './sql-rows.js';
import { closedRowsIndexSql, loadVersionRows, VersionChanges } from './versions.js';

/** An event as a history's timeline reads it (times as ISO 8601 UTC). */
export interface Fact {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
}

/** A state that held over a business-time interval `[validFrom, validTo)` (`validTo` null = open). */
export interface Interval {
  readonly validFrom: string;
  readonly validTo: string | null;
  /** The state columns' values, in the order of {@link HistoryTable.columns}. */
  readonly values: readonly unknown[];
}

/** A bitemporal history table derived from an entity's facts by a pure timeline. */
export interface HistoryTable {
  readonly table: string;
  readonly columns: readonly Column[];
  timeline(facts: readonly Fact[]): Interval[];
}

/** The facts of one kind of entity (a staff member, a jurisdiction) and the histories built from them. */
export interface HistorySpec {
  readonly factsTable: string;
  /** The entity an event is a fact of, and the fact's data; null when the event is not one. */
  factOf(event: RecordedEvent): { entity: string; data: Record<string, unknown> } | null;
  readonly histories: readonly HistoryTable[];
}

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
  ];
}

const ms = (instant: string) => Date.parse(instant);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const fingerprint = (interval: Interval) =>
  digest([ms(interval.validFrom), interval.validTo === null ? null : ms(interval.validTo), interval.values]);

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
  await insertRows(
    tx,
    spec.factsTable,
    [
      { name: 'entity', type: 'text' },
      { name: 'event_id', type: 'uuid' },
      { name: 'type', type: 'text' },
      { name: 'occurred_at', type: 'timestamptz' },
      { name: 'recorded_at', type: 'timestamptz' },
      { name: 'data', type: 'jsonb' },
    ],
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
  const recordTimes = new Map<string, string[]>();
  for (const f of facts) {
    const times = recordTimes.get(f.entity) ?? [];
    if (!times.includes(f.event.recordedAt)) times.push(f.event.recordedAt);
    recordTimes.set(f.entity, times);
  }
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
  const since = new Date(
    facts.reduce((earliest, f) => Math.min(earliest, ms(f.event.recordedAt)), Infinity),
  ).toISOString();
  for (const history of spec.histories) {
    const changes = new VersionChanges<Interval>(
      await loadVersionRows(tx, history.table, { id: 'id', entity: 'entity' }, entities, since),
    );
    for (const entity of entities) {
      const all = factsOf.get(entity) ?? [];
      const times = (recordTimes.get(entity) ?? []).sort((a, b) => ms(a) - ms(b));
      for (const recordedAt of times) {
        const known = all.filter((fact) => ms(fact.recordedAt) <= ms(recordedAt));
        changes.record(
          entity,
          recordedAt,
          new Map(history.timeline(known).map((interval) => [fingerprint(interval), interval])),
        );
      }
    }
    await changes.write(tx, history.table, 'id');
    await insertRows(
      tx,
      history.table,
      [
        { name: 'entity', type: 'text' },
        ...history.columns,
        { name: 'valid_from', type: 'timestamptz' },
        { name: 'valid_to', type: 'timestamptz' },
        { name: 'recorded_at', type: 'timestamptz' },
        { name: 'superseded_at', type: 'timestamptz' },
        { name: 'fingerprint', type: 'text' },
      ],
      changes
        .inserts()
        .map((row) => [
          row.entity,
          ...row.content.values,
          row.content.validFrom,
          row.content.validTo,
          row.recordedAt,
          row.supersededAt,
          row.fingerprint,
        ]),
      '',
    );
  }
}
