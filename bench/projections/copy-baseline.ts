/**
 * The baseline: PostgreSQL loading the rebuilt read models' final rows with `COPY` (through
 * pg-copy-streams: `COPY … TO STDOUT` on one connection piped into `COPY … FROM STDIN` on
 * another) into empty copies of their tables (`CREATE TABLE … (LIKE … INCLUDING ALL)`: same
 * columns, defaults and indexes), so it pays the same index maintenance as the rebuild.
 */
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

const COPY_SCHEMA = 'bench_copy';

export interface CopyTable {
  readonly schema: string;
  readonly table: string;
}

const target = (t: CopyTable): string => `${COPY_SCHEMA}.${t.schema}__${t.table}`;

/** Creates the empty copies once (dropping any left over). */
export async function prepareCopies(pool: pg.Pool, tables: readonly CopyTable[]): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${COPY_SCHEMA} CASCADE`);
  await pool.query(`CREATE SCHEMA ${COPY_SCHEMA}`);
  for (const t of tables) {
    await pool.query(`CREATE TABLE ${target(t)} (LIKE ${t.schema}.${t.table} INCLUDING ALL)`);
  }
}

/** One round: truncates the copies, then loads every table; returns the seconds per table. */
export async function copyRound(
  pool: pg.Pool,
  tables: readonly CopyTable[],
): Promise<Map<CopyTable, number>> {
  await pool.query(`TRUNCATE ${tables.map(target).join(', ')}`);
  // The truncated files are gone: a checkpoint now keeps the previous round's dirty pages from
  // landing in this round's time.
  await pool.query('CHECKPOINT').catch(() => undefined);
  const seconds = new Map<CopyTable, number>();
  const reader = await pool.connect();
  const writer = await pool.connect();
  try {
    for (const t of tables) {
      const start = performance.now();
      await pipeline(
        reader.query(copyTo(`COPY ${t.schema}.${t.table} TO STDOUT`)),
        writer.query(copyFrom(`COPY ${target(t)} FROM STDIN`)),
      );
      seconds.set(t, (performance.now() - start) / 1000);
    }
  } finally {
    reader.release();
    writer.release();
  }
  return seconds;
}

export async function dropCopies(pool: pg.Pool): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${COPY_SCHEMA} CASCADE`);
}
