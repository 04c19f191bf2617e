import { ADVISORY_LOCKS, ddlLockSql } from '@cadre/kernel';
import type pg from 'pg';

export const PROJECTIONS_SCHEMA = 'cadre_projections';

// Under a transaction-level advisory lock (the statements run as one implicit transaction):
// processes starting at once would otherwise race on CREATE SCHEMA IF NOT EXISTS, which fails on
// the catalog's unique index instead of waiting.
export const CHECKPOINTS_SQL = `
${ddlLockSql(ADVISORY_LOCKS.checkpointsDdl)}
CREATE SCHEMA IF NOT EXISTS ${PROJECTIONS_SCHEMA};
CREATE TABLE IF NOT EXISTS ${PROJECTIONS_SCHEMA}.checkpoints (
  name          text PRIMARY KEY,
  version       int NOT NULL,
  position      text,
  events        bigint NOT NULL DEFAULT 0,
  last_recorded_at timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);`;

export interface Checkpoint {
  readonly name: string;
  readonly version: number;
  /** Null: nothing applied yet. */
  readonly position: string | null;
  readonly events: number;
  readonly lastRecordedAt: string | null;
  readonly updatedAt: string;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: string | null;
  events: string;
  last_recorded_at: Date | null;
  updated_at: Date;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  version: row.version,
  position: row.position,
  events: Number(row.events),
  lastRecordedAt: row.last_recorded_at?.toISOString() ?? null,
  updatedAt: row.updated_at.toISOString(),
});

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export async function ensureCheckpoints(db: Queryable): Promise<void> {
  await db.query(CHECKPOINTS_SQL);
}

export async function readCheckpoint(db: Queryable, name: string, lock = false): Promise<Checkpoint | null> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT * FROM ${PROJECTIONS_SCHEMA}.checkpoints WHERE name = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

export async function listCheckpoints(db: Queryable): Promise<Checkpoint[]> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT * FROM ${PROJECTIONS_SCHEMA}.checkpoints ORDER BY name`,
  );
  return rows.map(toCheckpoint);
}

export async function writeCheckpoint(
  db: Queryable,
  name: string,
  version: number,
  position: string | null,
  applied: number,
  lastRecordedAt: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO ${PROJECTIONS_SCHEMA}.checkpoints (name, version, position, events, last_recorded_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (name) DO UPDATE SET version = $2, position = $3,
       events = ${PROJECTIONS_SCHEMA}.checkpoints.events + $4, last_recorded_at = coalesce($5, ${PROJECTIONS_SCHEMA}.checkpoints.last_recorded_at),
       updated_at = now()`,
    [name, version, position, applied, lastRecordedAt],
  );
}

export async function resetCheckpoint(db: Queryable, name: string, version: number): Promise<void> {
  await db.query(
    `INSERT INTO ${PROJECTIONS_SCHEMA}.checkpoints (name, version, position, events) VALUES ($1, $2, NULL, 0)
     ON CONFLICT (name) DO UPDATE SET version = $2, position = NULL, events = 0, last_recorded_at = NULL, updated_at = now()`,
    [name, version],
  );
}
