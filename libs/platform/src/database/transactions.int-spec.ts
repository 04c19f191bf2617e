import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { withTransaction } from './transactions.js';

describe('withTransaction', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('transactions');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await pool.query('CREATE TABLE t (n int)');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('commits what the work wrote and answers its result', async () => {
    const answer = await withTransaction(pool, async (client) => {
      await client.query('INSERT INTO t VALUES (1)');
      return 'done';
    });
    expect(answer).toBe('done');
    expect((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
  });

  it('rolls back on a throw, rethrows the error and gives the client back', async () => {
    const failing = withTransaction(pool, async (client) => {
      await client.query('INSERT INTO t VALUES (2)');
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE n = 2')).rows[0].n).toBe(0);
    expect(pool.idleCount + pool.waitingCount).toBeGreaterThan(0);
  });

  it('begins as asked (a read-only snapshot refuses a write)', async () => {
    const write = withTransaction(pool, (client) => client.query('INSERT INTO t VALUES (3)'), {
      begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    });
    await expect(write).rejects.toThrow(/read-only transaction/);
  });
});
