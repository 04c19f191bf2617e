import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '@cadre/event-store';
import { testEvent as event } from '../../../test/support/test-events.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ensureCheckpoints, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { measureLag } from './lag.js';

describe('measureLag: from checkpoints and positions, never by reading the backlog', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('lag');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await database.drop();
  });

  it('reports nothing before a checkpoint is known, then the events and the age of the oldest not applied', async () => {
    for (let i = 0; i < 40; i += 1)
      await store.append(`thing-${i % 4}`, [event(i < 30 ? 'Counted' : 'Other')]);
    const counted = { name: 'counted', handles: ['Counted'], version: 1 };
    const all = { name: 'all', handles: ['*'], version: 1 };

    // Before any runner has read its checkpoint (a restart): unknown, not "the whole log".
    expect(await measureLag(store, pool, [counted])).toEqual([
      { name: 'counted', known: false, position: null, lagEvents: null, lagSeconds: null },
    ]);

    await ensureCheckpoints(pool);
    await resetCheckpoint(pool, 'counted', 1);
    await resetCheckpoint(pool, 'all', 1);
    const log = await store.readAll({ limit: 100 });
    const readAll = jest.spyOn(store, 'readAll');
    try {
      const now = Date.parse(log[0]!.recordedAt) + 60_000;
      const [fromStart] = await measureLag(store, pool, [counted], () => now);
      expect(fromStart).toMatchObject({ known: true, position: null, lagEvents: 40 });
      expect(fromStart!.lagSeconds).toBeCloseTo(60, 0);
      // At most one event read per consumer: the first one not applied.
      expect(readAll.mock.calls.every(([options]) => options?.limit === 1)).toBe(true);

      // "counted" has applied its last event; only events of other types follow: caught up.
      const lastCounted = log[29]!;
      await writeCheckpoint(pool, 'counted', 1, lastCounted.position, 30, lastCounted.recordedAt);
      await writeCheckpoint(pool, 'all', 1, lastCounted.position, 30, lastCounted.recordedAt);
      const lags = await measureLag(store, pool, [counted, all]);
      expect(lags[0]).toMatchObject({ known: true, lagEvents: 0, lagSeconds: 0 });
      expect(lags[1]).toMatchObject({ known: true, lagEvents: 10 });

      // A checkpoint of another version: the runner will start over, so the lag is the whole log.
      const [rebuilt] = await measureLag(store, pool, [{ ...counted, version: 2 }]);
      expect(rebuilt).toMatchObject({ known: true, position: null, lagEvents: 40 });
    } finally {
      readAll.mockRestore();
    }
  });
});
