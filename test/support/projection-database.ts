import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The database of a projection's int spec: a client on it, and projection transactions over that client. */
export interface ProjectionDatabase {
  /** Connected before the file's first test, closed (and the database dropped) after its last. */
  readonly client: pg.Client;
  /** A projection transaction in `schema` over the client (no copy: projections apply row by row). */
  tx(schema: string): ProjectionTransaction;
}

/** A fresh database for one spec file (see {@link createTestDatabase}), opened and dropped by its hooks. */
export function projectionDatabase(label: string): ProjectionDatabase {
  let database: TestDatabase | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(label);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });
  const connected = (): pg.Client => {
    if (!client) throw new Error('projectionDatabase: used outside the tests of its file');
    return client;
  };
  return {
    get client() {
      return connected();
    },
    tx: (schema) => ({
      schema,
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
        (await connected().query(sql, params as unknown[])).rows as Row[],
    }),
  };
}
