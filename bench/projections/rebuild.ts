/**
 * Rebuilds one read model with the real `ProjectionRebuilder` (fresh tables from position 0 in
 * batches, compare with the live tables, swap), as `cadre projections:rebuild` does. The bench
 * database has no live runner: the live tables are created empty and their checkpoint is set to
 * the projection's last event, so the rebuilder neither replays the log into them a second time
 * nor refuses the comparison; the (empty) live side differs, hence `force`.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { PostgresEventStore } from '@cadre/event-store';
import {
  ALL_EVENTS,
  ensureCheckpoints,
  ProjectionRebuilder,
  writeCheckpoint,
  type Projection,
} from '@cadre/subscriptions';

export interface RebuildResult {
  readonly projection: string;
  /** Events the projection handles (those its `apply` saw). */
  readonly events: number;
  readonly seconds: number;
  /** Of those, its own work: applying its events, writing its rows, comparing (the pass is shared). */
  readonly workSeconds: number;
  /** Rows in its tables after the rebuild. */
  readonly rows: number;
  readonly rowsByTable: Record<string, number>;
}

const escapeLike = (prefix: string): string => prefix.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Readies one projection for a bench rebuild: its live tables exist (empty) and its checkpoint is
 * at its last event.
 */
async function prepare(pool: pg.Pool, projection: Projection): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await projection.createTables(
      {
        schema: projection.schema,
        query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
      },
      projection.schema,
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  const all = projection.handles.includes(ALL_EVENTS);
  const { rows: last } = await pool.query<{ position: string }>(
    `SELECT tx_id::text || '-' || seq::text AS position FROM cadre_es.events
      ${all ? '' : 'WHERE type LIKE ANY($1::text[])'} ORDER BY tx_id DESC, seq DESC LIMIT 1`,
    all ? [] : [projection.handles.map((t) => `${escapeLike(t)}%`)],
  );
  await writeCheckpoint(pool, projection.name, projection.version, last[0]?.position ?? null, 0, null);
}

async function rowsOf(pool: pg.Pool, projection: Projection): Promise<Record<string, number>> {
  const rowsByTable: Record<string, number> = {};
  for (const table of projection.tables) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${projection.schema}.${table}`,
    );
    rowsByTable[table] = Number(rows[0].n);
  }
  return rowsByTable;
}

/**
 * Rebuilds every projection given with `ProjectionRebuilder.rebuildAll` (as `cadre
 * projections:rebuild all` does), `concurrency` at a time. `seconds` is the wall time of the
 * whole; each result's own seconds overlap with the others' when `concurrency` > 1.
 */
export async function rebuildProjections(
  store: PostgresEventStore,
  pool: pg.Pool,
  projections: readonly Projection[],
  batchSize: number,
  concurrency: number,
  onResult: (result: RebuildResult) => void = () => undefined,
): Promise<{ results: RebuildResult[]; seconds: number }> {
  await ensureCheckpoints(pool);
  for (const projection of projections) await prepare(pool, projection);
  const start = performance.now();
  const reports = await new ProjectionRebuilder(store, pool).rebuildAll(projections, {
    force: true,
    batchSize,
    concurrency,
    onReport: (report) => {
      if (!report.swapped) throw new Error(`${report.projection}: the rebuild did not swap`);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const results: RebuildResult[] = [];
  for (const [i, report] of reports.entries()) {
    const rowsByTable = await rowsOf(pool, projections[i]);
    const result = {
      projection: report.projection,
      events: report.events,
      seconds: report.seconds,
      workSeconds: report.workSeconds,
      rows: Object.values(rowsByTable).reduce((a, b) => a + b, 0),
      rowsByTable,
    };
    results.push(result);
    onResult(result);
  }
  return { results, seconds };
}

/** Rebuilds one read model alone (see {@link rebuildProjections}). */
export async function rebuildProjection(
  store: PostgresEventStore,
  pool: pg.Pool,
  projection: Projection,
  batchSize: number,
): Promise<RebuildResult> {
  const { results } = await rebuildProjections(store, pool, [projection], batchSize, 1);
  return results[0];
}
