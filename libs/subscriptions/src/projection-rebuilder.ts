import { withTransaction } from '@cadre/platform/database';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import { ensureCheckpoints, readCheckpoint, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { ALL_EVENTS, RebuildMemory, type Projection, type ProjectionTransaction } from './projection.js';

/** How long the final catch-up waits for the log's horizon to pass the live checkpoint. */
const HORIZON_WAIT_MS = 30_000;
/** Projections rebuilt at once by {@link ProjectionRebuilder.rebuildAll}. */
export const DEFAULT_CONCURRENCY = 3;
/**
 * Events per page of a rebuild's pass: every projection rebuilt commits once per page, and the
 * pass waits for the slowest of them before the next.
 */
export const DEFAULT_REBUILD_BATCH = 5000;

export interface TableDifference {
  readonly table: string;
  /** Rows only in the live table / only in the rebuilt one (at most 5 of each are sampled). */
  readonly onlyLive: number;
  readonly onlyRebuilt: number;
  readonly sample: readonly { readonly side: 'live' | 'rebuilt'; readonly row: unknown }[];
}

export interface RebuildReport {
  readonly projection: string;
  readonly events: number;
  /** The position both the live and the rebuilt tables had reached when compared. */
  readonly comparedAt: string | null;
  readonly differences: readonly TableDifference[];
  readonly swapped: boolean;
  readonly seconds: number;
  /**
   * Of those, the seconds spent applying its events, writing its rows and comparing (the rest
   * of a pass shared with other projections is theirs, or reading the log).
   */
  readonly workSeconds: number;
}

export interface RebuildOptions {
  /** Swap even when the rebuilt tables differ from the live ones. */
  readonly force?: boolean;
  readonly batchSize?: number;
  /** Called after each batch: events applied so far. */
  readonly onProgress?: (applied: number) => void;
}

/** A projection's rebuild under way: its fresh schema, its memory, how far it has read. */
interface Run {
  readonly projection: Projection;
  readonly next: string;
  readonly checkpointName: string;
  readonly memory: RebuildMemory;
  readonly started: number;
  readonly handles: ReadonlySet<string> | null;
  applied: number;
  /** Milliseconds spent on this projection's own work (see `RebuildReport.workSeconds`). */
  workMs: number;
  position: string | null;
}

/**
 * Rebuilds projections from position 0 into fresh tables while the live ones keep serving
 * queries, compares both at one position, and swaps them in atomically (a schema rename in one
 * transaction); refuses to swap on a difference unless forced. The live runner is held back only
 * for the final comparison, by the row lock on its checkpoint.
 *
 * Several projections rebuild in one pass over the log: each page is read once (the next one is
 * read while this one is applied) and applied to every projection that handles some of its
 * events, `concurrency` of them at once in transactions of their own.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly pool: pg.Pool,
  ) {}

  async rebuild(projection: Projection, options: RebuildOptions = {}): Promise<RebuildReport> {
    const [report] = await this.rebuildAll([projection], {
      ...options,
      concurrency: 1,
      onProgress: (_projection, applied) => options.onProgress?.(applied),
    });
    return report!;
  }

  /**
   * Rebuilds several projections in one pass over the log (see the class), then brings each to
   * the live tables' position, compares and swaps it, `concurrency` at a time (one refused swap
   * leaves the others swapped). A failure while reading or applying the log ends the pass: no
   * projection is swapped, and none is started after a failed one. Reports come back in the
   * order given.
   */
  async rebuildAll(
    projections: readonly Projection[],
    options: Omit<RebuildOptions, 'onProgress'> & {
      readonly concurrency?: number;
      readonly onProgress?: (projection: Projection, applied: number) => void;
      readonly onReport?: (report: RebuildReport) => void;
    } = {},
  ): Promise<RebuildReport[]> {
    const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH;
    await ensureCheckpoints(this.pool);
    const runs: Run[] = [];
    for (const projection of projections) runs.push(await this.prepare(projection));
    await this.catchUp(runs, batchSize, concurrency, options.onProgress);
    const reports: RebuildReport[] = new Array(runs.length);
    await inLanes(runs, concurrency, async (run, index) => {
      reports[index] = await this.finish(run, batchSize, options.force === true);
      options.onReport?.(reports[index]);
    });
    return reports;
  }

  private async prepare(projection: Projection): Promise<Run> {
    const next = `${projection.schema}__rebuild`;
    const checkpointName = `${projection.name}__rebuild`;
    await this.pool.query(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    await this.transaction(next, async (tx) => {
      await projection.createTables(tx, next);
      // The live tables exist too, so that a first deployment can be "rebuilt" and compared.
      await projection.createTables({ ...tx, schema: projection.schema }, projection.schema);
    });
    await resetCheckpoint(this.pool, checkpointName, projection.version);
    return {
      projection,
      next,
      checkpointName,
      memory: new RebuildMemory(),
      started: Date.now(),
      handles: projection.handles.includes(ALL_EVENTS) ? null : new Set(projection.handles),
      applied: 0,
      workMs: 0,
      position: null,
    };
  }

  /**
   * The pass over the log, outside any long transaction: each projection commits each page (a
   * long transaction would keep locks and old row versions, and the live runner waiting, for the
   * whole rebuild). The fresh tables are the rebuild's alone until the swap: what a projection
   * would read back from them, it keeps in memory instead and writes with COPY (in full before
   * the final catch-up, which then runs on the tables as the live runner does).
   */
  private async catchUp(
    runs: readonly Run[],
    batchSize: number,
    concurrency: number,
    onProgress?: (projection: Projection, applied: number) => void,
  ): Promise<void> {
    const prefixes = runs.some((run) => run.handles === null)
      ? null
      : [...new Set(runs.flatMap((run) => run.projection.handles))];
    const read = (after: string | null): Promise<RecordedEvent[]> =>
      this.store.readAll({
        after: after ?? undefined,
        limit: batchSize,
        filter: prefixes ? { eventTypePrefixes: prefixes } : undefined,
      });
    let ahead = read(null);
    try {
      for (;;) {
        const page = await ahead;
        if (page.length === 0) break;
        const last = page[page.length - 1]!;
        ahead = read(last.position);
        await inLanes(runs, concurrency, async (run) => {
          const events = run.handles ? page.filter((event) => run.handles!.has(event.type)) : page;
          if (events.length > 0) {
            const started = performance.now();
            await this.applyPage(run, events);
            run.workMs += performance.now() - started;
          }
          run.position = last.position;
          onProgress?.(run.projection, run.applied);
        });
      }
    } finally {
      ahead.catch(() => undefined);
    }
  }

  private async finish(run: Run, batchSize: number, force: boolean): Promise<RebuildReport> {
    const { projection, next, checkpointName } = run;
    const finishing = performance.now();
    await this.transaction(next, (tx) => run.memory.flush(tx));
    // Statistics for the fresh tables before they serve: written in bulk, they have none yet.
    for (const table of projection.tables) await this.pool.query(`ANALYZE ${next}.${table}`);
    let { position, applied } = run;
    const { target, differences, swap } = await withTransaction(this.pool, async (client) => {
      const live = await readCheckpoint(client, projection.name, true);
      let target = live?.position ?? null;
      // The rebuild read up to the head; the live runner may be behind or ahead of it. Ahead: the
      // rebuild catches up to it. Behind (or no runner at all): the live tables are brought up to
      // the rebuild's position here, as their runner would, under the lock on their checkpoint.
      if (target !== null && (position === null || this.store.comparePositions(position, target) < 0)) {
        const waitUntil = Date.now() + HORIZON_WAIT_MS;
        for (;;) {
          const page = (await this.page(projection, position, batchSize)).filter(
            (event) => this.store.comparePositions(event.position, target as string) <= 0,
          );
          if (page.length === 0) {
            const reached = position !== null && this.store.comparePositions(position, target) >= 0;
            if (reached) break;
            // Nothing this projection handles up to the target. If the log is readable up to it,
            // the live checkpoint only passed events of other types (as a swap after a rebuild of
            // all read models leaves it, at the last event of all): the rebuild stands there too.
            const head = await this.store.headPosition();
            if (head !== null && this.store.comparePositions(head, target) >= 0) {
              position = target;
              break;
            }
            // Otherwise an older append still running holds the log's horizon back (decision
            // 0005). It commits or ends soon.
            if (Date.now() > waitUntil) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          applied += await this.applyInto(client, projection, next, page);
          position = page[page.length - 1].position;
        }
      } else if (
        position !== null &&
        (target === null || this.store.comparePositions(target, position) < 0)
      ) {
        let livePosition = target;
        for (;;) {
          const page = (await this.page(projection, livePosition, batchSize)).filter(
            (event) => this.store.comparePositions(event.position, position as string) <= 0,
          );
          if (page.length === 0) break;
          const appliedLive = await this.applyInto(client, projection, projection.schema, page);
          livePosition = page[page.length - 1].position;
          await writeCheckpoint(
            client,
            projection.name,
            projection.version,
            livePosition,
            appliedLive,
            page[page.length - 1].recordedAt,
          );
        }
        // The live runner's checkpoint names the last event it applied; the pass read further
        // (to the last event of all those it read): compare at the rebuild's position.
        target = position;
      }
      const comparable =
        target === null
          ? position === null
          : position !== null && this.store.comparePositions(position, target) === 0;
      if (!comparable) {
        throw new Error(
          `could not bring ${projection.name}'s live and rebuilt tables to one position (${target ?? 'start'} vs ${position ?? 'start'})`,
        );
      }
      const differences = await this.compare(client, projection, next);
      const swap = differences.length === 0 || force;
      if (swap) {
        await client.query(`DROP SCHEMA IF EXISTS ${projection.schema}__old CASCADE`);
        await client.query(`ALTER SCHEMA ${projection.schema} RENAME TO ${projection.schema}__old`);
        await client.query(`ALTER SCHEMA ${next} RENAME TO ${projection.schema}`);
        await writeCheckpoint(client, projection.name, projection.version, target, 0, null);
      }
      await client.query('DELETE FROM cadre_projections.checkpoints WHERE name = $1', [checkpointName]);
      return { target, differences, swap };
    });
    // Dropped after the swap commits: it waits for queries still reading the old tables.
    await this.pool.query(`DROP SCHEMA IF EXISTS ${swap ? `${projection.schema}__old` : next} CASCADE`);
    return {
      projection: projection.name,
      events: applied,
      comparedAt: target,
      differences,
      swapped: swap,
      seconds: (Date.now() - run.started) / 1000,
      workSeconds: (run.workMs + performance.now() - finishing) / 1000,
    };
  }

  private page(projection: Projection, after: string | null, limit: number): Promise<RecordedEvent[]> {
    const all = projection.handles.includes(ALL_EVENTS);
    return this.store.readAll({
      after: after ?? undefined,
      limit,
      filter: all ? undefined : { eventTypePrefixes: projection.handles },
    });
  }

  private async applyPage(run: Run, events: readonly RecordedEvent[]): Promise<void> {
    await this.transaction(
      run.next,
      async (tx, client) => {
        await run.projection.apply(events, tx);
        run.applied += events.length;
        const last = events[events.length - 1]!;
        await writeCheckpoint(
          client,
          run.checkpointName,
          run.projection.version,
          last.position,
          events.length,
          last.recordedAt,
        );
      },
      run.memory,
    );
  }

  private async applyInto(
    client: pg.PoolClient,
    projection: Projection,
    schema: string,
    page: readonly RecordedEvent[],
    tx: ProjectionTransaction = txOn(client, schema),
  ): Promise<number> {
    const handles = new Set(projection.handles);
    const events = projection.handles.includes(ALL_EVENTS)
      ? page
      : page.filter((event) => handles.has(event.type));
    if (events.length > 0) await projection.apply(events, tx);
    return events.length;
  }

  /** Rows in one table and not the other, both ways, ignoring sequence-generated columns. */
  private async compare(
    client: pg.PoolClient,
    projection: Projection,
    next: string,
  ): Promise<TableDifference[]> {
    const differences: TableDifference[] = [];
    for (const table of projection.tables) {
      const { rows: columns } = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 AND coalesce(column_default, '') NOT LIKE 'nextval(%'
          ORDER BY ordinal_position`,
        [projection.schema, table],
      );
      // json has no equality: compare it as jsonb.
      const list = columns
        .map((c) =>
          c.data_type === 'json' ? `"${c.column_name}"::jsonb AS "${c.column_name}"` : `"${c.column_name}"`,
        )
        .join(', ');
      const live = `SELECT ${list} FROM ${projection.schema}.${table}`;
      const rebuilt = `SELECT ${list} FROM ${next}.${table}`;
      const { rows } = await client.query<{ side: 'live' | 'rebuilt'; n: string; sample: unknown[] | null }>(
        `WITH only_live AS (${live} EXCEPT ALL ${rebuilt}), only_rebuilt AS (${rebuilt} EXCEPT ALL ${live})
         SELECT 'live' AS side, (SELECT count(*) FROM only_live)::text AS n,
                (SELECT json_agg(x) FROM (SELECT * FROM only_live LIMIT 5) x) AS sample
         UNION ALL
         SELECT 'rebuilt', (SELECT count(*) FROM only_rebuilt)::text,
                (SELECT json_agg(x) FROM (SELECT * FROM only_rebuilt LIMIT 5) x)`,
      );
      const onlyLive = Number(rows.find((r) => r.side === 'live')?.n ?? 0);
      const onlyRebuilt = Number(rows.find((r) => r.side === 'rebuilt')?.n ?? 0);
      if (onlyLive + onlyRebuilt > 0) {
        differences.push({
          table,
          onlyLive,
          onlyRebuilt,
          sample: rows.flatMap((r) => (r.sample ?? []).map((row) => ({ side: r.side, row }))),
        });
      }
    }
    return differences;
  }

  private async transaction(
    schema: string,
    work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<void>,
    memory?: RebuildMemory,
  ): Promise<void> {
    await withTransaction(this.pool, (client) => work(txOn(client, schema, memory), client));
  }
}

const txOn = (client: pg.PoolClient, schema: string, memory?: RebuildMemory): ProjectionTransaction => ({
  schema,
  memory,
  query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[])).rows as Row[],
  copy: (table, columns, lines) =>
    pipeline(
      Readable.from(lines),
      client.query(copyFrom(`COPY ${schema}.${table} (${columns.join(', ')}) FROM STDIN`)),
    ),
});

/**
 * Runs `work` on every item, at most `lanes` at once. After a failure no further item starts;
 * those under way finish (or fail) before the first failure is thrown.
 */
async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(lanes, items.length) }, () =>
      lane().catch((error: unknown) => {
        next = items.length;
        throw error;
      }),
    ),
  );
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
