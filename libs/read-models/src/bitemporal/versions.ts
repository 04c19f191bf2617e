import type { ProjectionTransaction } from '@cadre/subscriptions';
import { updateByKey } from './sql-rows.js';

/** A row of a bitemporal history as stored: what the version bookkeeping needs of it. */
export interface StoredVersionRow {
  readonly id: string;
  readonly entity: string;
  readonly fingerprint: string;
  readonly recordedAt: string;
  readonly supersededAt: string | null;
}

/** A row to insert: its content, and when it became and stopped being knowledge. */
export interface PendingVersionRow<Content> {
  readonly entity: string;
  readonly content: Content;
  readonly recordedAt: string;
  supersededAt: string | null;
  readonly fingerprint: string;
}

type Ref<Content> =
  { readonly id: string; readonly recordedAt: number } | { readonly pending: PendingVersionRow<Content> };

const ms = (instant: string): number => Date.parse(instant);

/**
 * The rows of a batch's bitemporal histories: each entity's timeline, at each record time the
 * batch brings, is compared by fingerprint with the rows still believed. A row no longer in it
 * has its knowledge closed at that record time; a new one is inserted with it; an unchanged one
 * keeps its row.
 *
 * The result does not depend on where batches begin and end. Facts recorded at one instant may
 * reach two batches (an append of several events split by a batch's limit): the second batch's
 * version at that instant then deletes a row the first inserted at it (it never was knowledge:
 * believed and closed at one instant) and re-opens a row the first closed at it, so the rows are
 * those one batch holding both parts would have written. A rebuild in large batches thus equals
 * the live tables built in small ones, row for row, and can be compared with them.
 */
export class VersionChanges<Content> {
  /** Stored rows whose knowledge closes: id → record time. */
  readonly superseded = new Map<string, string>();
  /** Stored rows believed again (their closing is undone). */
  readonly reopened = new Set<string>();
  /** Stored rows that never were knowledge after all. */
  readonly deleted = new Set<string>();
  private pending: PendingVersionRow<Content>[] = [];
  private readonly believed = new Map<string, Map<string, Ref<Content>>>();
  /** entity → fingerprint → the row closed last, and when. */
  private readonly closed = new Map<string, Map<string, { ref: Ref<Content>; at: number }>>();

  constructor(stored: readonly StoredVersionRow[]) {
    for (const row of stored) {
      const ref = { id: row.id, recordedAt: ms(row.recordedAt) };
      if (row.supersededAt === null) this.of(this.believed, row.entity).set(row.fingerprint, ref);
      else this.of(this.closed, row.entity).set(row.fingerprint, { ref, at: ms(row.supersededAt) });
    }
  }

  /** The entity's timeline as known from `recordedAt` on: rows by fingerprint. */
  record(entity: string, recordedAt: string, next: ReadonlyMap<string, Content>): void {
    const at = ms(recordedAt);
    const current = this.of(this.believed, entity);
    const closed = this.of(this.closed, entity);
    for (const [print, ref] of [...current]) {
      if (next.has(print)) continue;
      current.delete(print);
      if ('pending' in ref) {
        ref.pending.supersededAt = recordedAt;
        closed.set(print, { ref, at });
      } else if (ref.recordedAt === at) {
        this.deleted.add(ref.id);
      } else {
        // A stored row re-opened by an earlier version of this batch and closed again by this
        // one: its closing is this one (the re-opening must not be written after it).
        this.reopened.delete(ref.id);
        this.superseded.set(ref.id, recordedAt);
        closed.set(print, { ref, at });
      }
    }
    for (const [print, content] of next) {
      if (current.has(print)) continue;
      const was = closed.get(print);
      if (was && was.at === at) {
        closed.delete(print);
        current.set(print, was.ref);
        if ('pending' in was.ref) was.ref.pending.supersededAt = null;
        else if (this.superseded.has(was.ref.id)) this.superseded.delete(was.ref.id);
        else this.reopened.add(was.ref.id);
        continue;
      }
      const row = { entity, content, recordedAt, supersededAt: null, fingerprint: print };
      this.pending.push(row);
      current.set(print, { pending: row });
    }
  }

  /** The rows to insert: not those believed and closed at one record time (never knowledge). */
  inserts(): PendingVersionRow<Content>[] {
    return this.pending.filter((row) => row.supersededAt !== row.recordedAt);
  }

  /** Rows still pending after the last {@link drainFinal} (still believed, or closed too late). */
  private keptAtLastDrain = 0;

  /**
   * Whether to {@link drainFinal} now: `threshold` rows pending, and twice as many as the last
   * drain kept. Rows still believed cannot be drained; draining at every batch once they alone
   * pass the threshold made a rebuild quadratic in them (each drain reads every pending row).
   */
  drainDue(threshold: number): boolean {
    return this.pending.length >= Math.max(threshold, 2 * this.keptAtLastDrain);
  }

  /**
   * Takes the pending rows whose knowledge closed before `before` (ms): no later version can
   * re-open them (a version re-opens only a row closed at its own record time), so they are as
   * they will be written, and need not be kept. Rows that never were knowledge are dropped.
   */
  drainFinal(before: number): PendingVersionRow<Content>[] {
    const final: PendingVersionRow<Content>[] = [];
    const kept: PendingVersionRow<Content>[] = [];
    for (const row of this.pending) {
      if (row.supersededAt !== null && ms(row.supersededAt) < before) {
        if (row.supersededAt !== row.recordedAt) final.push(row);
      } else kept.push(row);
    }
    this.pending = kept;
    this.keptAtLastDrain = kept.length;
    for (const closed of this.closed.values())
      for (const [print, { at }] of closed) if (at < before) closed.delete(print);
    return final;
  }

  /** Writes the closings, re-openings and deletions (the caller inserts {@link inserts}). */
  async write(tx: ProjectionTransaction, table: string, idColumn: string): Promise<void> {
    const target = `${tx.schema}.${table}`;
    await updateByKey(
      tx,
      table,
      { name: idColumn, type: 'bigint' },
      { name: 'superseded_at', type: 'timestamptz' },
      this.superseded,
    );
    if (this.reopened.size > 0) {
      await tx.query(`UPDATE ${target} SET superseded_at = NULL WHERE ${idColumn} = ANY($1::bigint[])`, [
        [...this.reopened],
      ]);
    }
    if (this.deleted.size > 0) {
      await tx.query(`DELETE FROM ${target} WHERE ${idColumn} = ANY($1::bigint[])`, [[...this.deleted]]);
    }
  }

  private of<V>(map: Map<string, Map<string, V>>, entity: string): Map<string, V> {
    let inner = map.get(entity);
    if (!inner) {
      inner = new Map();
      map.set(entity, inner);
    }
    return inner;
  }
}

/**
 * The stored rows {@link VersionChanges} starts from: those of `entities` still believed, and
 * those closed at or after `since` (the batch's earliest record time), which a version at the
 * same instant may re-open.
 */
export async function loadVersionRows(
  tx: ProjectionTransaction,
  table: string,
  columns: { readonly id: string; readonly entity: string },
  entities: readonly string[],
  since: string,
): Promise<StoredVersionRow[]> {
  const rows = await tx.query<{
    id: string;
    entity: string;
    fingerprint: string;
    recorded_at: string;
    superseded_at: string | null;
  }>(
    `SELECT ${columns.id}::text AS id, ${columns.entity} AS entity, fingerprint,
            to_json(recorded_at) #>> '{}' AS recorded_at, to_json(superseded_at) #>> '{}' AS superseded_at
       FROM ${tx.schema}.${table}
      WHERE ${columns.entity} = ANY($1::text[]) AND superseded_at IS NULL
     UNION ALL
     SELECT ${columns.id}::text, ${columns.entity}, fingerprint,
            to_json(recorded_at) #>> '{}', to_json(superseded_at) #>> '{}'
       FROM ${tx.schema}.${table}
      WHERE superseded_at >= $2 AND ${columns.entity} = ANY($1::text[])`,
    [entities, since],
  );
  return rows.map((row) => ({
    id: row.id,
    entity: row.entity,
    fingerprint: row.fingerprint,
    recordedAt: row.recorded_at,
    supersededAt: row.superseded_at,
  }));
}

/** The index {@link loadVersionRows} finds recently closed rows by. */
export const closedRowsIndexSql = (schema: string, table: string): string =>
  `CREATE INDEX IF NOT EXISTS ${table}_closed ON ${schema}.${table} (superseded_at) WHERE superseded_at IS NOT NULL`;

/**
 * When a rebuild's bitemporal engines write what they hold before the final flush (see
 * `RebuildMemory`): facts once this many wait, rows closed before the batch's earliest record
 * time (less a margin, for record times a little out of log order) once this many wait. Tests
 * lower them to exercise the path on a few events.
 */
export const spillThresholds = { facts: 20_000, rows: 50_000, marginMs: 60_000 };
