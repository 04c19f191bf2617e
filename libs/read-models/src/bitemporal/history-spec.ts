import type { RecordedEvent } from '@cadre/event-store';
import type { Column } from './sql-rows.js';

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
