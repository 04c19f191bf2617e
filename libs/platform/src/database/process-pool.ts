import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import type { Database } from './database.tokens.js';

/**
 * A `pg.Pool` whose clients never raise an unhandled 'error': a connection that dies while a
 * client is idle in the pool, or checked out between two statements, would otherwise crash the
 * process. The failure still reaches the caller as the rejected query, and the pool replaces the
 * connection.
 */
export function resilientPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** The limits every pool of a process takes from its configuration. */
export type DatabaseLimits = Pick<AppConfig, 'CADRE_DB_CONNECT_TIMEOUT_MS' | 'CADRE_STATEMENT_TIMEOUT_MS'>;

export interface ProcessPoolOptions {
  readonly applicationName: string;
  readonly max: number;
  readonly idleTimeoutMillis?: number;
  /** Session settings of its own (`-c name=value ...`), besides the statement limit. */
  readonly sessionOptions?: string;
}

/**
 * The session settings bounding each statement to `statementTimeoutMs` (lock waits included);
 * none for 0, which leaves the server's own setting in force. Code that may legitimately run
 * longer (start-up DDL) lifts it for its transaction: `SET LOCAL statement_timeout = 0`.
 */
export function boundedSessionOptions(
  statementTimeoutMs: number,
  sessionOptions?: string,
): string | undefined {
  const parts = [
    sessionOptions,
    statementTimeoutMs > 0 ? `-c statement_timeout=${statementTimeoutMs}` : undefined,
  ];
  const joined = parts.filter(Boolean).join(' ');
  return joined === '' ? undefined : joined;
}

/**
 * A pool of the process database with the configured limits: a connection waited for at most
 * CADRE_DB_CONNECT_TIMEOUT_MS, each statement run for at most CADRE_STATEMENT_TIMEOUT_MS. It is
 * closed on shutdown, before an embedded cluster stops (its owner may close it earlier).
 */
export function processPool(
  database: Database,
  limits: DatabaseLimits,
  options: ProcessPoolOptions,
): pg.Pool {
  const pool = resilientPool({
    connectionString: database.url,
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: limits.CADRE_DB_CONNECT_TIMEOUT_MS,
    options: boundedSessionOptions(limits.CADRE_STATEMENT_TIMEOUT_MS, options.sessionOptions),
    ...(options.idleTimeoutMillis === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMillis }),
  });
  database.onShutdown(async () => {
    if (!pool.ending) await pool.end();
  });
  return pool;
}
