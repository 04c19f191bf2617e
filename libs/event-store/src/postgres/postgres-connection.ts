import type pg from 'pg';
import { isConnectionError } from '@cadre/kernel';
import { EventStoreUnavailableError } from '../event-store.errors.js';

/** Rows of one statement on the pool; an unreachable server is an EventStoreUnavailableError. */
export async function queryRows<Row extends object>(
  pool: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  try {
    return (await pool.query(sql, params)).rows as Row[];
  } catch (error) {
    throw isConnectionError(error) ? unavailable(error) : error;
  }
}

/** `work` on a client of the pool, released (destroyed if its connection broke) afterwards. */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw unavailable(error);
  }
  let broken: Error | undefined;
  // A connection that dies between two statements emits 'error' on the client: it must not go unhandled.
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    if (isConnectionError(error)) broken = error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

export const unavailable = (error: unknown): EventStoreUnavailableError =>
  new EventStoreUnavailableError(
    `The event store's PostgreSQL cannot be reached: ${(error as Error).message ?? String(error)}`,
    error,
  );
