import type { RecordedEvent } from '@cadre/event-store';
import type { Fact } from '../bitemporal/history-spec.js';
import type { Column } from '../bitemporal/sql-rows.js';

/** A recorded fact about one entity: the histories' and the timelines' facts are the same. */
export type { Fact };

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

/** One entity of a history, as a batch touches it: its facts before the batch, and the batch's. */
export interface History {
  readonly spec: TimelineSpec<unknown>;
  readonly key: string;
  readonly earlier: Fact[];
  readonly batch: Fact[];
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
