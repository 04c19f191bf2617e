/**
 * Every PostgreSQL advisory lock Cadre takes, in one place, so that no two purposes can share a
 * key. A number is a one-key (bigint) lock; a pair is a two-key (int, int) lock — PostgreSQL keeps
 * the two kinds apart, so 4711003 and (4711003, 1) never conflict. A class alone is completed
 * with `hashtext(name)` by its user (one lock per stream, per lease).
 */
export const ADVISORY_LOCKS = {
  /** The event store's schema is being created (session lock). */
  eventStoreSchema: 4_711_000,
  /** Class of the per-stream append lock, `(class, hashtext(stream))`: the log's horizon reads it. */
  streamAppendClass: 4_711_001,
  /** Class of leases (runners of projections, processes and webhook deliveries; the schedule's tick), `(class, hashtext(name))`. */
  leaseClass: 4_711_002,
  /** A runner prepares its tables (created once, not raced by another process starting). */
  runnerPrepare: 4_711_003,
  /** DDL of the processes' schema. */
  processesDdl: [4_711_004, 0],
  /** DDL of the webhook subscriptions' tables. */
  webhooksDdl: [4_711_005, 0],
  /** DDL of the checkpoints table. */
  checkpointsDdl: [4_711_005, 1],
  /** DDL of the signed checkpoints' table. */
  signedCheckpointsDdl: [4_711_005, 2],
  /** DDL of the personal-data vault's tables. */
  personalDataDdl: [4_711_005, 3],
} as const;

/**
 * The statements that begin a DDL transaction: no statement limit for the rest of it (the lock
 * may wait for another process's migration, and a migration of a large table may take minutes),
 * then the two-key lock until its end.
 */
export const ddlLockSql = ([classId, objectId]: readonly [number, number]): string =>
  `SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(${classId}, ${objectId});`;
