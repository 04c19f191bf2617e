import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import { ensureCheckpoints, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { ALL_EVENTS, RebuildMemory, type Projection } from './projection.js';
import { finishRebuild, type RebuildReport } from './rebuild-finish.js';
import { readLog } from './log-reading.js';
import { inSchema, type Run } from './rebuild-run.js';

export type { RebuildReport, TableDifference } from './rebuild-finish.js';

/** Projections rebuilt at once by {@link ProjectionRebuilder.rebuildAll}. */
export const DEFAULT_CONCURRENCY = 3;
/**
 * Events per page of a rebuild's pass: every projection rebuilt commits once per page, and the
 * pass waits for the slowest of them before the next.
 */
export const DEFAULT_REBUILD_BATCH = 5000;

export interface RebuildOptions {
  /** Swap even when the rebuilt tables differ from the live ones. */
  readonly force?: boolean;
  readonly batchSize?: number;
  /** Called after each batch: events applied so far. */
  readonly onProgress?: (applied: number) => void;
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
      reports[index] = await finishRebuild(this.store, this.pool, run, batchSize, options.force === true);
      options.onReport?.(reports[index]);
    });
    return reports;
  }

  private async prepare(projection: Projection): Promise<Run> {
    const next = `${projection.schema}__rebuild`;
    const checkpointName = `${projection.name}__rebuild`;
    await this.pool.query(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    await inSchema(this.pool, next, async (tx) => {
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
    const pages = readLog(this.store, {
      filter: prefixes ? { eventTypePrefixes: prefixes } : undefined,
      pageSize: batchSize,
    });
    for await (const page of pages) {
      const last = page[page.length - 1]!;
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
  }

  private async applyPage(run: Run, events: readonly RecordedEvent[]): Promise<void> {
    await inSchema(
      this.pool,
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
}

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
