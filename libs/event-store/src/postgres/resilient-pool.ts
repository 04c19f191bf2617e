import pg from 'pg';

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
