import { withTransaction } from '@cadre/platform/database';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import { readCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { filterOf } from './log-reading.js';
import { ALL_EVENTS, type Projection, type ProjectionTransaction } from './projection.js';
import { inSchema, txOn, type Run } from './rebuild-run.js';

/** How long the final catch-up waits for the log's horizon to pass the live checkpoint. */
const HORIZON_WAIT_MS = 30_000;

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

/**
 * Finishes one projection's rebuild: writes what its memory kept, brings its rebuilt and live
 * tables to one position, compares them and swaps them (or not: see {@link RebuildReport}).
 */
export async function finishRebuild(
  store: EventStore,
  pool: pg.Pool,
  run: Run,
  batchSize: number,
  force: boolean,
): Promise<RebuildReport> {
  const { projection, next, checkpointName } = run;
  const finishing = performance.now();
  await inSchema(pool, next, (tx) => run.memory.flush(tx));
  // Statistics for the fresh tables before they serve: written in bulk, they have none yet.
  for (const table of projection.tables) await pool.query(`ANALYZE ${next}.${table}`);
  let { position, applied } = run;
  const { target, differences, swap } = await withTransaction(pool, async (client) => {
    const live = await readCheckpoint(client, projection.name, true);
    let target = live?.position ?? null;
    // The rebuild read up to the head; the live runner may be behind or ahead of it. Ahead: the
    // rebuild catches up to it. Behind (or no runner at all): the live tables are brought up to
    // the rebuild's position here, as their runner would, under the lock on their checkpoint.
    if (target !== null && (position === null || store.comparePositions(position, target) < 0)) {
      const waitUntil = Date.now() + HORIZON_WAIT_MS;
      for (;;) {
        const page = (await readPage(store, projection, position, batchSize)).filter(
          (event) => store.comparePositions(event.position, target as string) <= 0,
        );
        if (page.length === 0) {
          const reached = position !== null && store.comparePositions(position, target) >= 0;
          if (reached) break;
          // Nothing this projection handles up to the target. If the log is readable up to it,
          // the live checkpoint only passed events of other types (as a swap after a rebuild of
          // all read models leaves it, at the last event of all): the rebuild stands there too.
          const head = await store.headPosition();
          if (head !== null && store.comparePositions(head, target) >= 0) {
            position = target;
            break;
          }
          // Otherwise an older append still running holds the log's horizon back (decision
          // 0005). It commits or ends soon.
          if (Date.now() > waitUntil) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        applied += await applyInto(client, projection, next, page);
        position = page[page.length - 1].position;
      }
    } else if (position !== null && (target === null || store.comparePositions(target, position) < 0)) {
      let livePosition = target;
      for (;;) {
        const page = (await readPage(store, projection, livePosition, batchSize)).filter(
          (event) => store.comparePositions(event.position, position as string) <= 0,
        );
        if (page.length === 0) break;
        const appliedLive = await applyInto(client, projection, projection.schema, page);
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
        : position !== null && store.comparePositions(position, target) === 0;
    if (!comparable) {
      throw new Error(
        `could not bring ${projection.name}'s live and rebuilt tables to one position (${target ?? 'start'} vs ${position ?? 'start'})`,
      );
    }
    const differences = await compare(client, projection, next);
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
  await pool.query(`DROP SCHEMA IF EXISTS ${swap ? `${projection.schema}__old` : next} CASCADE`);
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

function readPage(
  store: EventStore,
  projection: Projection,
  after: string | null,
  limit: number,
): Promise<RecordedEvent[]> {
  return store.readAll({ after: after ?? undefined, limit, filter: filterOf(projection.handles) });
}

async function applyInto(
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
async function compare(
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
