import type { RecordedEvent } from '@cadre/event-store';
import type { MemoryPart, ProjectionTransaction } from '@cadre/subscriptions';
import { copyRows, digest, insertRows, onConflictUpdate, type Column } from './sql-rows.js';
import {
  closedRowsIndexSql,
  loadVersionRows,
  spillThresholds,
  VersionChanges,
  type PendingVersionRow,
} from './versions.js';

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

/**
 * A current-state table derived from an entity's facts: one row per entity (`entity` is its key),
 * rewritten in place, once per batch, from all the entity's facts known after it — no versions,
 * for a reader that only asks what stands now.
 */
export interface CurrentTable {
  readonly table: string;
  readonly columns: readonly Column[];
  /** The row's values (in the order of `columns`) from the facts in recording order; null: no row. */
  row(facts: readonly Fact[]): readonly unknown[] | null;
}

/** The facts of one kind of entity (a staff member, a jurisdiction) and the histories built from them. */
export interface HistorySpec {
  readonly factsTable: string;
  /** The entity an event is a fact of, and the fact's data; null when the event is not one. */
  factOf(event: RecordedEvent): { entity: string; data: Record<string, unknown> } | null;
  readonly histories: readonly HistoryTable[];
  /** Current-state tables from the same facts (see {@link CurrentTable}). */
  readonly currents?: readonly CurrentTable[];
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
    ...(spec.currents ?? []).map(
      (current) => `CREATE TABLE IF NOT EXISTS ${schema}.${current.table} (
        entity text PRIMARY KEY,
        ${current.columns.map((c) => `${c.name} ${c.type}`).join(',\n        ')},
        fingerprint text NOT NULL
      )`,
    ),
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

type BatchFact = {
  readonly event: RecordedEvent;
  readonly entity: string;
  readonly data: Record<string, unknown>;
};

const FACT_COLUMNS: readonly Column[] = [
  { name: 'entity', type: 'text' },
  { name: 'event_id', type: 'uuid' },
  { name: 'type', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'data', type: 'jsonb' },
];

const rowColumns = (history: HistoryTable): Column[] => [
  { name: 'entity', type: 'text' },
  ...history.columns,
  { name: 'valid_from', type: 'timestamptz' },
  { name: 'valid_to', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'superseded_at', type: 'timestamptz' },
  { name: 'fingerprint', type: 'text' },
];

const rowValues = (row: PendingVersionRow<Interval>): unknown[] => [
  row.entity,
  ...row.content.values,
  row.content.validFrom,
  row.content.validTo,
  row.recordedAt,
  row.supersededAt,
  row.fingerprint,
];

const currentColumns = (current: CurrentTable): Column[] => [
  { name: 'entity', type: 'text' },
  ...current.columns,
  { name: 'fingerprint', type: 'text' },
];

/** Each entity's current row (`entity`, values, fingerprint), null where it has none, in `entities`' order. */
const currentRows = (
  current: CurrentTable,
  entities: readonly string[],
  factsOf: ReadonlyMap<string, readonly Fact[]>,
): (unknown[] | null)[] =>
  entities.map((entity) => {
    const values = current.row(factsOf.get(entity) ?? []);
    return values && [entity, ...values, digest(values)];
  });

const earliestRecordTime = (facts: readonly BatchFact[]): string =>
  new Date(facts.reduce((earliest, f) => Math.min(earliest, ms(f.event.recordedAt)), Infinity)).toISOString();

/**
 * Each entity's timeline at each record time the batch brings, from all its facts known then
 * (`factsOf`: every fact of the entity, the batch's included, in recording order).
 */
function recordVersions(
  changes: VersionChanges<Interval>,
  history: HistoryTable,
  facts: readonly BatchFact[],
  factsOf: ReadonlyMap<string, readonly Fact[]>,
): void {
  const recordTimes = new Map<string, string[]>();
  for (const f of facts) {
    const times = recordTimes.get(f.entity) ?? [];
    if (!times.includes(f.event.recordedAt)) times.push(f.event.recordedAt);
    recordTimes.set(f.entity, times);
  }
  for (const [entity, unsorted] of recordTimes) {
    const all = factsOf.get(entity) ?? [];
    const recorded = all.map((fact) => ms(fact.recordedAt));
    const times = unsorted.sort((a, b) => ms(a) - ms(b));
    for (const recordedAt of times) {
      const at = ms(recordedAt);
      const known = all.filter((_, i) => recorded[i]! <= at);
      changes.record(
        entity,
        recordedAt,
        new Map(history.timeline(known).map((interval) => [fingerprint(interval), interval])),
      );
    }
  }
}

/** Current rows computed and written at once when a rebuild's memory is flushed. */
const CURRENT_CHUNK = 10_000;

/**
 * A history's facts and rows during a rebuild (see `RebuildMemory`): the same versions as
 * {@link applyHistory} computes from the tables, from what it kept of the earlier batches.
 * Facts are written as they come (they never change), rows once their knowledge has closed
 * (see `VersionChanges.drainFinal`), the rest when the rebuilder flushes.
 */
class HistoryMemory implements MemoryPart {
  private factRows: unknown[][] = [];
  private readonly stored = new Set<string>();
  private readonly factsOf = new Map<string, Fact[]>();
  private readonly changes = new Map<HistoryTable, VersionChanges<Interval>>();

  constructor(private readonly spec: HistorySpec) {}

  async apply(tx: ProjectionTransaction, facts: readonly BatchFact[]): Promise<void> {
    for (const f of facts) {
      // The facts table's key is the event id: a fact stored once (ON CONFLICT DO NOTHING).
      if (this.stored.has(f.event.eventId)) continue;
      this.stored.add(f.event.eventId);
      // As the tables give them back: times to the millisecond, in UTC.
      const fact: Fact = {
        eventId: f.event.eventId,
        type: f.event.type,
        occurredAt: iso(new Date(f.event.metadata.occurredAt)),
        recordedAt: iso(new Date(f.event.recordedAt)),
        data: f.data,
      };
      this.factRows.push([f.entity, fact.eventId, fact.type, fact.occurredAt, fact.recordedAt, fact.data]);
      const list = this.factsOf.get(f.entity);
      if (list) list.push(fact);
      else this.factsOf.set(f.entity, [fact]);
    }
    for (const history of this.spec.histories)
      recordVersions(this.changesOf(history), history, facts, this.factsOf);
    // Bounded memory: what can no longer change is written now.
    if (this.factRows.length >= spillThresholds.facts) await this.flushFacts(tx);
    const before = ms(earliestRecordTime(facts)) - spillThresholds.marginMs;
    for (const [history, changes] of this.changes)
      if (changes.drainDue(spillThresholds.rows))
        await copyRows(tx, history.table, rowColumns(history), changes.drainFinal(before).map(rowValues));
  }

  async flush(tx: ProjectionTransaction): Promise<void> {
    await this.flushFacts(tx);
    for (const [history, changes] of this.changes)
      await copyRows(tx, history.table, rowColumns(history), changes.inserts().map(rowValues));
    // Current rows once per entity, from all its facts: nothing else writes the fresh tables
    // during the catch-up, so a plain COPY, a chunk at a time.
    const entities = [...this.factsOf.keys()];
    for (const current of this.spec.currents ?? [])
      for (let i = 0; i < entities.length; i += CURRENT_CHUNK)
        await copyRows(
          tx,
          current.table,
          currentColumns(current),
          currentRows(current, entities.slice(i, i + CURRENT_CHUNK), this.factsOf).flatMap((row) =>
            row ? [row] : [],
          ),
        );
  }

  private async flushFacts(tx: ProjectionTransaction): Promise<void> {
    await copyRows(tx, this.spec.factsTable, FACT_COLUMNS, this.factRows, 'ON CONFLICT DO NOTHING');
    this.factRows = [];
  }

  private changesOf(history: HistoryTable): VersionChanges<Interval> {
    let changes = this.changes.get(history);
    if (!changes) {
      changes = new VersionChanges<Interval>([]);
      this.changes.set(history, changes);
    }
    return changes;
  }
}
