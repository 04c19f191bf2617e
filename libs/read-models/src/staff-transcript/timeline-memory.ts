import type { MemoryPart, ProjectionTransaction } from '@cadre/subscriptions';
import { copyRows } from '../bitemporal/sql-rows.js';
import { spillThresholds, VersionChanges } from '../bitemporal/versions.js';
import type { Fact, History, Segment, TimelineSpec } from './timeline-segments.js';
import {
  earliestRecordTime,
  FACT_COLUMNS,
  factValues,
  recordHistories,
  rowColumns,
  rowValuesOf,
  type BatchFact,
} from './timeline-rows.js';

/**
 * The timelines' facts and rows during a rebuild (see `RebuildMemory`): the versions
 * {@link applyTimelines} computes from the tables, from what it kept of the earlier batches.
 * Facts are written as they come (they never change), rows once their knowledge has closed
 * (see `VersionChanges.drainFinal`), the rest when the rebuilder flushes.
 */
export class TimelineMemory implements MemoryPart {
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
