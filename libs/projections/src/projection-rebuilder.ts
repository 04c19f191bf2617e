import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import { ensureCheckpoints, readCheckpoint, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { ALL_EVENTS, type Projection, type ProjectionTransaction } from './projection.js';
import { RebuildMemory } from './rebuild-memory.js';

/** How long the final catch-up waits for the log's horizon to pass the live checkpoint. */
const HORIZON_WAIT_MS = 30_000;
/** Projections rebuilt at once by {@link ProjectionRebuilder.rebuildAll}. */
export const DEFAULT_CONCURRENCY = 3;

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
}

export interface RebuildOptions {
  /** Swap even when the rebuilt tables differ from the live ones. */
  readonly force?: boolean;
  readonly batchSize?: number;
  /** Called after each batch: events applied so far. */
  readonly onProgress?: (applied: number) => void;
}

/**
 * Rebuilds a projection from position 0 into fresh tables while the live ones keep serving
 * queries, compares both at one position, and swaps them in atomically (a schema rename in one
 * transaction); refuses to swap on a difference unless forced. The live runner is held back only
 * for the final comparison, by the row lock on its checkpoint.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly pool: pg.Pool,
  ) {}

  async rebuild(projection: Projection, options: RebuildOptions = {}): Promise<RebuildReport> {
    const started = Date.now();
    const next = `${projection.schema}__rebuild`;
    const checkpointName = `${projection.name}__rebuild`;
    await ensureCheckpoints(this.pool);
    await this.pool.query(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    await this.transaction(next, async (tx) => {
      await projection.createTables(tx, next);
      // The live tables exist too, so that a first deployment can be "rebuilt" and compared.
      await projection.createTables({ ...tx, schema: projection.schema }, projection.schema);
    });
    await resetCheckpoint(this.pool, checkpointName, projection.version);

    // Catch up outside any long transaction: each batch commits (a long transaction would keep
    // locks and old row versions, and the live runner waiting, for the whole rebuild). The fresh
    // tables are the rebuild's alone until the swap: what the projection would read back from
    // them, it keeps in memory instead, and writes with COPY (written in full before the final
    // catch-up, which then runs on the tables as the live runner does).
    const memory = new RebuildMemory();
    let position: string | null = null;
    let applied = 0;
    for (;;) {
      const page = await this.page(projection, position, options.batchSize ?? 2000);
      if (page.length === 0) break;
      applied += await this.applyPage(projection, next, checkpointName, page, memory);
      position = page[page.length - 1].position;
      options.onProgress?.(applied);
    }
    await this.transaction(next, (tx) => memory.flush(tx));

    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const live = await readCheckpoint(client, projection.name, true);
      let target = live?.position ?? null;
      // The rebuild read up to the head; the live runner may be behind or ahead of it. Ahead: the
      // rebuild catches up to it. Behind (or no runner at all): the live tables are brought up to
      // the rebuild's position here, as their runner would, under the lock on their checkpoint.
      if (target !== null && (position === null || this.store.comparePositions(position, target) < 0)) {
        const waitUntil = Date.now() + HORIZON_WAIT_MS;
        for (;;) {
          const page = (await this.page(projection, position, options.batchSize ?? 2000)).filter(
            (event) => this.store.comparePositions(event.position, target as string) <= 0,
          );
          if (page.length === 0) {
            // Short of the target with nothing to read: an older append still running
            // holds the log's horizon back (decision 0005). It commits or ends soon.
            const reached = position !== null && this.store.comparePositions(position, target) >= 0;
            if (reached || Date.now() > waitUntil) break;
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
          const page = (await this.page(projection, livePosition, options.batchSize ?? 2000)).filter(
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
        target = livePosition;
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
      const swap = differences.length === 0 || options.force === true;
      if (swap) {
        await client.query(`DROP SCHEMA IF EXISTS ${projection.schema}__old CASCADE`);
        await client.query(`ALTER SCHEMA ${projection.schema} RENAME TO ${projection.schema}__old`);
        await client.query(`ALTER SCHEMA ${next} RENAME TO ${projection.schema}`);
        await writeCheckpoint(client, projection.name, projection.version, target, 0, null);
      }
      await client.query('DELETE FROM cadre_projections.checkpoints WHERE name = $1', [checkpointName]);
      await client.query('COMMIT');
      // Dropped after the swap commits: it waits for queries still reading the old tables.
      await this.pool.query(`DROP SCHEMA IF EXISTS ${swap ? `${projection.schema}__old` : next} CASCADE`);
      return {
        projection: projection.name,
        events: applied,
        comparedAt: target,
        differences,
        swapped: swap,
        seconds: (Date.now() - started) / 1000,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Rebuilds several projections, `concurrency` at a time (each its own catch-up and swap, so one
   * refused swap leaves the others swapped): on two cores the database works on one projection's
   * batch while Node computes another's. Reports come back in the order given.
   */
  async rebuildAll(
    projections: readonly Projection[],
    options: Omit<RebuildOptions, 'onProgress'> & {
      readonly concurrency?: number;
      readonly onProgress?: (projection: Projection, applied: number) => void;
      readonly onReport?: (report: RebuildReport) => void;
    } = {},
  ): Promise<RebuildReport[]> {
    const reports: RebuildReport[] = new Array(projections.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < projections.length) {
        const index = next++;
        const projection = projections[index];
        reports[index] = await this.rebuild(projection, {
          ...options,
          onProgress: (applied) => options.onProgress?.(projection, applied),
        });
        options.onReport?.(reports[index]);
      }
    };
    const lanes = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, projections.length));
    // A failure starts no further rebuild; those under way finish (or fail) before it is thrown.
    const settled = await Promise.allSettled(
      Array.from({ length: lanes }, () =>
        lane().catch((error: unknown) => {
          next = projections.length;
          throw error;
        }),
      ),
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return reports;
  }

  private page(projection: Projection, after: string | null, limit: number): Promise<RecordedEvent[]> {
    const all = projection.handles.includes(ALL_EVENTS);
    return this.store.readAll({
      after: after ?? undefined,
      limit,
      filter: all ? undefined : { eventTypePrefixes: projection.handles },
    });
  }

  private async applyPage(
    projection: Projection,
    schema: string,
    checkpointName: string,
    page: RecordedEvent[],
    memory: RebuildMemory,
  ): Promise<number> {
    let applied = 0;
    await this.transaction(
      schema,
      async (tx, client) => {
        applied = await this.applyInto(client, projection, schema, page, tx);
        const last = page[page.length - 1];
        await writeCheckpoint(
          client,
          checkpointName,
          projection.version,
          last.position,
          applied,
          last.recordedAt,
        );
      },
      memory,
    );
    return applied;
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await work(txOn(client, schema, memory), client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
