import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '../../projection.js';
import { insertRows, type Column } from '../bitemporal/sql-rows.js';

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
      superseded_at timestamptz)`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS ${spec.table}_believed ON ${schema}.${spec.table} (entity_key) WHERE superseded_at IS NULL`,
    );
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

/** Joins adjacent segments of equal state (the state compared as JSON). */
export function mergeSegments<State>(segments: readonly Segment<State>[]): Segment<State>[] {
  const merged: Segment<State>[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.validTo === segment.validFrom &&
      JSON.stringify(last.state) === JSON.stringify(segment.state)
    ) {
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

/**
 * Applies a batch to bitemporal histories. Each event's facts are stored; for each entity touched,
 * its timeline is recomputed after each of its new facts, and every version that differs from the
 * one before is recorded: the believed rows are superseded at the new fact's `recordedAt` and the
 * new rows inserted with it. Rows are never updated otherwise, so past answers stay reproducible.
 */
export async function applyTimelines(
  tx: ProjectionTransaction,
  specs: readonly TimelineSpec<unknown>[],
  events: readonly RecordedEvent[],
): Promise<void> {
  const facts: { history: string; key: string; fact: Fact }[] = [];
  const voidTargets = events.filter((e) => e.type === 'RecordVoided').map((e) => targetOf(e));
  const targetOwners = voidTargets.length
    ? await tx.query<{ history: string; entity_key: string; event_id: string }>(
        `SELECT history, entity_key, event_id::text FROM ${tx.schema}.facts WHERE event_id = ANY($1::uuid[])`,
        [voidTargets],
      )
    : [];
  for (const event of events) {
    const fact = toFact(event);
    if (event.type === 'RecordVoided') {
      const target = targetOf(event);
      const owners = [
        ...targetOwners
          .filter((row) => row.event_id === target)
          .map((row) => ({ history: row.history, key: row.entity_key })),
        ...facts.filter((f) => f.fact.eventId === target).map((f) => ({ history: f.history, key: f.key })),
      ];
      for (const owner of owners) facts.push({ ...owner, fact });
      continue;
    }
    for (const spec of specs)
      for (const key of spec.keysOf(event)) facts.push({ history: spec.table, key, fact });
  }
  if (facts.length === 0) return;
  await insertRows(
    tx,
    'facts',
    [
      { name: 'history', type: 'text' },
      { name: 'entity_key', type: 'text' },
      { name: 'event_id', type: 'uuid' },
      { name: 'type', type: 'text' },
      { name: 'occurred_at', type: 'timestamptz' },
      { name: 'recorded_at', type: 'timestamptz' },
      { name: 'data', type: 'jsonb' },
    ],
    facts.map(({ history, key, fact }) => [
      history,
      key,
      fact.eventId,
      fact.type,
      fact.occurredAt,
      fact.recordedAt,
      fact.data,
    ]),
  );
  const histories = await loadHistories(tx, specs, facts);
  const superseded: [string, string, string][] = [];
  const rows = new Map<string, unknown[][]>();
  for (const history of histories) {
    const versions = recordedVersions(history);
    if (versions.length === 0) continue;
    superseded.push([history.spec.table, history.key, versions[0]!.recordedAt]);
    const target = rows.get(history.spec.table) ?? [];
    versions.forEach((version, i) => {
      const supersededAt = versions[i + 1]?.recordedAt ?? null;
      for (const segment of version.segments) {
        target.push([
          history.key,
          ...history.spec.values(history.key, segment.state),
          segment.validFrom,
          segment.validTo,
          version.recordedAt,
          supersededAt,
        ]);
      }
    });
    rows.set(history.spec.table, target);
  }
  for (const spec of specs) {
    const closing = superseded.filter(([table]) => table === spec.table);
    if (closing.length > 0) {
      await tx.query(
        `UPDATE ${tx.schema}.${spec.table} t SET superseded_at = x.at
           FROM unnest($1::text[], $2::timestamptz[]) AS x(key, at)
          WHERE t.entity_key = x.key AND t.superseded_at IS NULL`,
        [closing.map(([, key]) => key), closing.map(([, , at]) => at)],
      );
    }
    await insertRows(
      tx,
      spec.table,
      [
        { name: 'entity_key', type: 'text' },
        ...spec.columns,
        { name: 'valid_from', type: 'timestamptz' },
        { name: 'valid_to', type: 'timestamptz' },
        { name: 'recorded_at', type: 'timestamptz' },
        { name: 'superseded_at', type: 'timestamptz' },
      ],
      rows.get(spec.table) ?? [],
      '',
    );
  }
}

/**
 * The versions of an entity's timeline that the batch records: after each new fact, when it
 * differs from the version before (the first compared with what the earlier facts gave).
 */
export function recordedVersions(history: Pick<History, 'spec' | 'earlier' | 'batch'>): {
  recordedAt: string;
  segments: Segment<unknown>[];
}[] {
  const versions: { recordedAt: string; segments: Segment<unknown>[] }[] = [];
  let known = [...history.earlier];
  let previous = JSON.stringify(history.spec.timeline(withoutVoided(known)));
  for (const fact of history.batch) {
    known = [...known, fact];
    const segments = history.spec.timeline(withoutVoided(known));
    const serialized = JSON.stringify(segments);
    if (serialized === previous) continue;
    previous = serialized;
    const last = versions[versions.length - 1];
    if (last && last.recordedAt === fact.recordedAt) last.segments = segments;
    else versions.push({ recordedAt: fact.recordedAt, segments });
  }
  return versions;
}

async function loadHistories(
  tx: ProjectionTransaction,
  specs: readonly TimelineSpec<unknown>[],
  batchFacts: readonly { history: string; key: string; fact: Fact }[],
): Promise<History[]> {
  const touched = new Map<string, { history: string; key: string }>();
  for (const { history, key } of batchFacts) touched.set(`${history}\u0000${key}`, { history, key });
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
    [entries.map((e) => e.history), entries.map((e) => e.key)],
  );
  const inBatch = new Set(batchFacts.map((f) => `${f.history}\u0000${f.key}\u0000${f.fact.eventId}`));
  return entries.map(({ history, key }) => {
    const spec = specs.find((s) => s.table === history)!;
    const mine = stored.filter((row) => row.history === history && row.entity_key === key);
    const asFact = (row: (typeof mine)[number]): Fact => ({
      eventId: row.event_id,
      type: row.type,
      occurredAt: new Date(row.occurred_at).toISOString(),
      recordedAt: new Date(row.recorded_at).toISOString(),
      data: row.data,
    });
    return {
      spec,
      key,
      earlier: mine.filter((row) => !inBatch.has(`${history}\u0000${key}\u0000${row.event_id}`)).map(asFact),
      batch: batchFacts.filter((f) => f.history === history && f.key === key).map((f) => f.fact),
    };
  });
}

const targetOf = (event: RecordedEvent): string =>
  String((event.data as { targetEventId: string }).targetEventId);

// Sealed personal data never enters a history's facts: the names table is its one place.
const toFact = (event: RecordedEvent): Fact => {
  const { personalData: _sealed, ...data } = event.data as Record<string, unknown>;
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: new Date(event.metadata.occurredAt).toISOString(),
    recordedAt: new Date(event.recordedAt).toISOString(),
    data,
  };
};
