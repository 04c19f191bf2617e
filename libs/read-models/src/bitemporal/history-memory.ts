import type { MemoryPart, ProjectionTransaction } from '@cadre/subscriptions';
import { copyRows } from './sql-rows.js';
import { spillThresholds, VersionChanges } from './versions.js';
import type { Fact, HistorySpec, HistoryTable, Interval } from './history-spec.js';
import {
  currentColumns,
  currentRows,
  earliestRecordTime,
  FACT_COLUMNS,
  iso,
  ms,
  recordVersions,
  rowColumns,
  rowValues,
  type BatchFact,
} from './history-rows.js';

/** Current rows computed and written at once when a rebuild's memory is flushed. */
const CURRENT_CHUNK = 10_000;

/**
 * A history's facts and rows during a rebuild (see `RebuildMemory`): the same versions as
 * {@link applyHistory} computes from the tables, from what it kept of the earlier batches.
 * Facts are written as they come (they never change), rows once their knowledge has closed
 * (see `VersionChanges.drainFinal`), the rest when the rebuilder flushes.
 */
export class HistoryMemory implements MemoryPart {
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
