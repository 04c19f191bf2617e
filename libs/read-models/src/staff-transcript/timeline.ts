import type { RecordedEvent } from '@cadre/event-store';
import type { MemoryPart, ProjectionTransaction } from '@cadre/subscriptions';
import { copyRows, digest, insertRows, type Column } from '../bitemporal/sql-rows.js';
import {
  closedRowsIndexSql,
  loadVersionRows,
  spillThresholds,
  VersionChanges,
  type PendingVersionRow,
} from '../bitemporal/versions.js';

/** A recorded fact about one entity, as a timeline reads it. */
export interface Fact {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
}

/** One business-time interval of an entity's state (`validTo` null: still holds). */
export interface Segment<State> {
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly state: State;
}

/**
 * A bitemporal history kept by {@link applyTimelines}: which events concern which entity, and the
 * entity's business-time history as a pure function of its (non-voided) facts.
 */
export interface TimelineSpec<State> {
  /** The history table (in the projection's schema): `entity_key`, the columns, the four time columns. */
  readonly table: string;
  readonly columns: readonly Column[];
  /** The entities an event concerns (none: it is not a fact of this history). */
  keysOf(event: RecordedEvent): readonly string[];
  /** The business-time history of one entity from its facts in recording order (pure). */
  timeline(facts: readonly Fact[]): Segment<State>[];
  /** The row values of one segment's state, in the order of `columns`. */
  values(key: string, state: State): readonly unknown[];
}

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

/** Drops voided facts (and the voids): a voided record never happened, from the void's knownAt on. */
export function withoutVoided(facts: readonly Fact[]): Fact[] {
  const voided = new Set(
    facts.filter((fact) => fact.type === 'RecordVoided').map((fact) => String(fact.data.targetEventId)),
  );
  return facts.filter((fact) => fact.type !== 'RecordVoided' && !voided.has(fact.eventId));
}

/** Facts in business-time order; recording order breaks ties. */
export const byOccurrence = (facts: readonly Fact[]): Fact[] =>
  facts
    .map((fact, index) => ({ fact, index }))
    .sort((a, b) => a.fact.occurredAt.localeCompare(b.fact.occurredAt) || a.index - b.index)
    .map(({ fact }) => fact);

/**
 * Whether two values have the same JSON (`JSON.stringify(a) === JSON.stringify(b)`), without
 * writing it: timelines compare every pair of adjacent segments' states, at every version.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return JSON.stringify(a) === JSON.stringify(b);
  if ('toJSON' in a || 'toJSON' in b) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    // In arrays, undefined and functions are written as null.
    const element = (v: unknown): unknown => (v === undefined || typeof v === 'function' ? null : v);
    for (let i = 0; i < a.length; i += 1) if (!sameJson(element(a[i]), element(other[i]))) return false;
    return true;
  }
  // In objects, properties whose value is undefined (or a function) are left out.
  const written = (o: object): string[] =>
    Object.keys(o).filter((key) => {
      const v = (o as Record<string, unknown>)[key];
      return v !== undefined && typeof v !== 'function';
    });
  const keys = written(a);
  const otherKeys = written(b);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (key !== otherKeys[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Joins adjacent segments of equal state (the state compared as JSON). */
export function mergeSegments<State>(segments: readonly Segment<State>[]): Segment<State>[] {
  const merged: Segment<State>[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last && last.validTo === segment.validFrom && sameJson(last.state, segment.state)) {
      merged[merged.length - 1] = { ...last, validTo: segment.validTo };
    } else {
      merged.push(segment);
    }
  }
  return merged;
}

interface History {
  readonly spec: TimelineSpec<unknown>;
  readonly key: string;
  readonly earlier: Fact[];
  readonly batch: Fact[];
}

const ms = (instant: string): number => Date.parse(instant);

/** What identifies a segment's row among an entity's believed rows: its interval and its values. */
const fingerprintOf = (spec: TimelineSpec<unknown>, key: string, segment: Segment<unknown>): string =>
  digest([
    ms(segment.validFrom),
    segment.validTo === null ? null : ms(segment.validTo),
    spec.values(key, segment.state),
  ]);

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

type BatchFact = { readonly history: string; readonly key: string; readonly fact: Fact };

const FACT_COLUMNS: readonly Column[] = [
  { name: 'history', type: 'text' },
  { name: 'entity_key', type: 'text' },
  { name: 'event_id', type: 'uuid' },
  { name: 'type', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'data', type: 'jsonb' },
];

const factValues = ({ history, key, fact }: BatchFact): unknown[] => [
  history,
  key,
  fact.eventId,
  fact.type,
  fact.occurredAt,
  fact.recordedAt,
  fact.data,
];

const rowColumns = (spec: TimelineSpec<unknown>): Column[] => [
  { name: 'entity_key', type: 'text' },
  ...spec.columns,
  { name: 'valid_from', type: 'timestamptz' },
  { name: 'valid_to', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'superseded_at', type: 'timestamptz' },
  { name: 'fingerprint', type: 'text' },
];

const rowValuesOf =
  (spec: TimelineSpec<unknown>) =>
  (row: PendingVersionRow<Segment<unknown>>): unknown[] => [
    row.entity,
    ...spec.values(row.entity, row.content.state),
    row.content.validFrom,
    row.content.validTo,
    row.recordedAt,
    row.supersededAt,
    row.fingerprint,
  ];

const earliestRecordTime = (facts: readonly BatchFact[]): number =>
  facts.reduce((earliest, { fact }) => Math.min(earliest, ms(fact.recordedAt)), Infinity);

/** Each touched entity's versions, compared with its rows (see {@link recordedVersions}). */
function recordHistories(
  changes: VersionChanges<Segment<unknown>>,
  spec: TimelineSpec<unknown>,
  histories: readonly Pick<History, 'key' | 'earlier' | 'batch'>[],
  timelines?: Map<string, string>,
): void {
  for (const history of histories) {
    const id = `${spec.table}\u0000${history.key}`;
    const known = timelines ? { previous: timelines.get(id) } : undefined;
    for (const version of recordedVersions({ spec, earlier: history.earlier, batch: history.batch }, known)) {
      changes.record(
        history.key,
        version.recordedAt,
        new Map(version.segments.map((segment) => [fingerprintOf(spec, history.key, segment), segment])),
      );
    }
    if (timelines && known?.previous !== undefined) timelines.set(id, known.previous);
  }
}

/**
 * The timelines' facts and rows during a rebuild (see `RebuildMemory`): the versions
 * {@link applyTimelines} computes from the tables, from what it kept of the earlier batches.
 * Facts are written as they come (they never change), rows once their knowledge has closed
 * (see `VersionChanges.drainFinal`), the rest when the rebuilder flushes.
 */
class TimelineMemory implements MemoryPart {
  private factRows: BatchFact[] = [];
  /** history, entity → its facts in recording order. */
  private readonly factsOf = new Map<string, Fact[]>();
  private readonly changes = new Map<TimelineSpec<unknown>, VersionChanges<Segment<unknown>>>();
  /** history, entity → its timeline from all its facts, as JSON (what the next batch starts from). */
  private readonly timelines = new Map<string, string>();

  constructor(private readonly specs: readonly TimelineSpec<unknown>[]) {}

  /**
   * The histories and entities the events are facts of (what a void looks up): a scan of every
   * fact kept, since voids are rare and an index of every event would double the memory.
   */
  ownersOf(eventIds: readonly string[]): { history: string; entity_key: string; event_id: string }[] {
    const wanted = new Set(eventIds);
    const owners: { history: string; entity_key: string; event_id: string }[] = [];
    for (const [id, facts] of this.factsOf) {
      for (const fact of facts) {
        if (!wanted.has(fact.eventId)) continue;
        const [history, key] = id.split('\u0000') as [string, string];
        owners.push({ history, entity_key: key, event_id: fact.eventId });
      }
    }
    return owners;
  }

  async apply(tx: ProjectionTransaction, facts: readonly BatchFact[]): Promise<void> {
    const touched = new Map<string, History>();
    const specOf = new Map(this.specs.map((spec) => [spec.table, spec]));
    for (const batchFact of facts) {
      const id = `${batchFact.history}\u0000${batchFact.key}`;
      let entry = touched.get(id);
      if (!entry) {
        entry = { spec: specOf.get(batchFact.history)!, key: batchFact.key, earlier: [], batch: [] };
        touched.set(id, entry);
      }
      entry.batch.push(batchFact.fact);
    }
    // Their earlier facts: those stored before this batch, but for the batch's own (as loadHistories).
    for (const [id, entry] of touched) {
      const inBatch = new Set(entry.batch.map((fact) => fact.eventId));
      const stored = this.factsOf.get(id) ?? [];
      for (const fact of stored) if (!inBatch.has(fact.eventId)) entry.earlier.push(fact);
      // A fact stored again: its timeline is computed afresh from the others.
      if (entry.earlier.length < stored.length) this.timelines.delete(id);
    }
    for (const batchFact of facts) {
      const id = `${batchFact.history}\u0000${batchFact.key}`;
      const list = this.factsOf.get(id);
      // The facts table's key: one fact per history, entity and event (ON CONFLICT DO NOTHING).
      if (list?.some((fact) => fact.eventId === batchFact.fact.eventId)) continue;
      if (list) list.push(batchFact.fact);
      else this.factsOf.set(id, [batchFact.fact]);
      this.factRows.push(batchFact);
    }
    const histories = [...touched.values()];
    for (const spec of this.specs) {
      const mine = histories.filter((history) => history.spec === spec);
      if (mine.length > 0) recordHistories(this.changesOf(spec), spec, mine, this.timelines);
    }
    // Bounded memory: what can no longer change is written now.
    if (this.factRows.length >= spillThresholds.facts) await this.flushFacts(tx);
    const before = earliestRecordTime(facts) - spillThresholds.marginMs;
    for (const [spec, changes] of this.changes)
      if (changes.drainDue(spillThresholds.rows))
        await copyRows(tx, spec.table, rowColumns(spec), changes.drainFinal(before).map(rowValuesOf(spec)));
  }

  async flush(tx: ProjectionTransaction): Promise<void> {
    await this.flushFacts(tx);
    for (const [spec, changes] of this.changes)
      await copyRows(tx, spec.table, rowColumns(spec), changes.inserts().map(rowValuesOf(spec)));
  }

  private async flushFacts(tx: ProjectionTransaction): Promise<void> {
    await copyRows(tx, 'facts', FACT_COLUMNS, this.factRows.map(factValues), 'ON CONFLICT DO NOTHING');
    this.factRows = [];
  }

  private changesOf(spec: TimelineSpec<unknown>): VersionChanges<Segment<unknown>> {
    let changes = this.changes.get(spec);
    if (!changes) {
      changes = new VersionChanges<Segment<unknown>>([]);
      this.changes.set(spec, changes);
    }
    return changes;
  }
}

/**
 * The versions of an entity's timeline that the batch records: at each record time the batch
 * brings (after the last of its facts recorded then), when it differs from the version before
 * (the first compared with what the earlier facts gave).
 */
export function recordedVersions(
  history: Pick<History, 'spec' | 'earlier' | 'batch'>,
  known?: { previous: string | undefined },
): {
  recordedAt: string;
  segments: Segment<unknown>[];
}[] {
  const versions: { recordedAt: string; segments: Segment<unknown>[] }[] = [];
  const facts = [...history.earlier];
  // `known.previous`: the earlier facts' timeline as JSON, when the caller kept it (a rebuild's
  // memory); it holds the last version's on return.
  let previous = known?.previous ?? JSON.stringify(history.spec.timeline(withoutVoided(facts)));
  history.batch.forEach((fact, i) => {
    facts.push(fact);
    if (history.batch[i + 1]?.recordedAt === fact.recordedAt) return;
    const segments = history.spec.timeline(withoutVoided(facts));
    const serialized = JSON.stringify(segments);
    if (serialized === previous) return;
    previous = serialized;
    versions.push({ recordedAt: fact.recordedAt, segments });
  });
  if (known) known.previous = previous;
  return versions;
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
