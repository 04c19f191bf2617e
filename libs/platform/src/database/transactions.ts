import type pg from 'pg';

export interface TransactionOptions {
  /** The statement that begins it (default `BEGIN`), e.g. with an isolation level. */
  readonly begin?: string;
}

/**
 * The one transaction helper of Cadre: takes a client of `pool`, runs `work` between `begin` and
 * `COMMIT`, and on a throw rolls back and rethrows. The client goes back to the pool — destroyed
 * when even the rollback failed, as its connection is then broken.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await runInTransaction(
      client,
      () => work(client),
      options,
      (error) => {
        broken = error;
      },
    );
  } finally {
    client.release(broken);
  }
}

/** The same on a client already held (an append that must be its own first write, say). */
export function inTransaction<T>(
  client: Pick<pg.ClientBase, 'query'>,
  work: () => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return runInTransaction(client, work, options, () => undefined);
}

async function runInTransaction<T>(
  client: Pick<pg.ClientBase, 'query'>,
  work: () => Promise<T>,
  options: TransactionOptions,
  onRollbackError: (error: Error) => void,
): Promise<T> {
  await client.query(options.begin ?? 'BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(onRollbackError);
    throw error;
  }
}
