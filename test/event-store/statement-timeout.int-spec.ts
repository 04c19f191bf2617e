import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADVISORY_LOCKS } from '@cadre/kernel';
import { PostgresEventStore } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testEvent } from '../support/test-events.js';

const LIMIT_MS = 300;

/**
 * The PostgreSQL adapter's statement limit (CADRE_STATEMENT_TIMEOUT_MS in the api and worker):
 * the schema's creation at connect runs without it, however long it waits for another process's
 * migration; every statement after it is bounded, and an append past it writes nothing.
 */
describe('PostgreSQL event store: bounded statements', () => {
  let database: TestDatabase;
  let sql: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('statement_timeout');
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await sql.end();
    await database.drop();
  });

  it('creates its schema past the limit (waiting for the migration lock), then bounds each append', async () => {
    const migrating = await sql.connect();
    let store: PostgresEventStore | undefined;
    try {
      await migrating.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.eventStoreSchema]);
      const connecting = PostgresEventStore.connect({
        connectionString: database.url,
        statementTimeoutMs: LIMIT_MS,
      });
      await new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 3));
      await migrating.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.eventStoreSchema]);
      store = await connecting;

      const event = () => testEvent('Noted', { n: 1 });
      await store.append('note-1', [event()]);
      const locker = await sql.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE cadre_es.events IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        await expect(store.append('note-2', [event()])).rejects.toMatchObject({ code: '57014' });
        expect(Date.now() - started).toBeLessThan(LIMIT_MS + 1_500);
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      expect(await store.readStream('note-2')).toEqual([]);
      await store.append('note-2', [event()]);
      expect(await store.readStream('note-2')).toHaveLength(1);
    } finally {
      migrating.release();
      await store?.close();
    }
  });
});
