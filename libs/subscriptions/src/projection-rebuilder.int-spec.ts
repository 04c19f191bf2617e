import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore, type NewEvent } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { testEvent } from '../../../test/support/test-events.js';
import { readCheckpoint } from './checkpoint-store.js';
import type { Projection } from './projection.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';
import { ProjectionRunner } from './projection-runner.js';

const tally: Projection = {
  name: 'tally',
  version: 1,
  handles: ['Tallied'],
  tables: ['counts'],
  schema: 'rm_tally',
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.counts (stream text PRIMARY KEY, n int NOT NULL, last json NOT NULL, id bigserial)`,
    );
  },
  apply: async (events, tx) => {
    for (const event of events) {
      await tx.query(
        `INSERT INTO ${tx.schema}.counts (stream, n, last) VALUES ($1, 1, $2)
         ON CONFLICT (stream) DO UPDATE SET n = ${tx.schema}.counts.n + 1, last = $2`,
        [event.stream, JSON.stringify(event.data)],
      );
    }
  },
};

describe('ProjectionRebuilder', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase('rebuild');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    for (let i = 0; i < 200; i += 1) await store.append(`thing-${i % 7}`, [event(i)]);
    runner = new ProjectionRunner(store, pool, database.url, tally, { leaseRetryMs: 50 });
    runner.start();
    await caughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await pool.end();
    await store.close();
    await database.drop();
  });

  const caughtUp = async (): Promise<void> => {
    const head = await store.headPosition();
    const deadline = Date.now() + 10_000;
    while ((await readCheckpoint(pool, 'tally').catch(() => null))?.position !== head) {
      if (Date.now() > deadline) throw new Error('projection did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('rebuilds into fresh tables while writers and readers go on, finds no difference, and swaps', async () => {
    let reading = true;
    let failedQueries = 0;
    let queries = 0;
    const readers = (async () => {
      while (reading) {
        await pool.query('SELECT sum(n) FROM rm_tally.counts').then(
          () => (queries += 1),
          () => (failedQueries += 1),
        );
      }
    })();
    const writers = (async () => {
      for (let i = 200; i < 260; i += 1) await store.append(`thing-${i % 7}`, [event(i)]);
    })();

    const report = await new ProjectionRebuilder(store, pool).rebuild(tally, { batchSize: 25 });
    await writers;
    await caughtUp();
    reading = false;
    await readers;

    expect(report).toMatchObject({ projection: 'tally', swapped: true, differences: [] });
    expect(queries).toBeGreaterThan(0);
    expect(failedQueries).toBe(0);
    const { rows } = await pool.query('SELECT sum(n)::int AS total FROM rm_tally.counts');
    expect(rows[0].total).toBe(260);
  });

  it('refuses to swap when the live tables differ, names the difference, and swaps with force', async () => {
    await pool.query(`UPDATE rm_tally.counts SET n = n + 100 WHERE stream = 'thing-3'`);

    const refused = await new ProjectionRebuilder(store, pool).rebuild(tally);
    expect(refused.swapped).toBe(false);
    expect(refused.differences).toEqual([
      expect.objectContaining({ table: 'counts', onlyLive: 1, onlyRebuilt: 1 }),
    ]);
    expect(
      (await pool.query(`SELECT n FROM rm_tally.counts WHERE stream = 'thing-3'`)).rows[0].n,
    ).toBeGreaterThan(100);

    const forced = await new ProjectionRebuilder(store, pool).rebuild(tally, { force: true });
    expect(forced.swapped).toBe(true);
    expect(
      (await pool.query(`SELECT n FROM rm_tally.counts WHERE stream = 'thing-3'`)).rows[0].n,
    ).toBeLessThan(100);
  });

  it('rebuilds several projections at once, each compared and swapped on its own', async () => {
    const copies = [1, 2, 3].map((n) => ({ ...tally, name: `tally-${n}`, schema: `rm_tally_${n}` }));
    const reports = await new ProjectionRebuilder(store, pool).rebuildAll(copies, { concurrency: 2 });
    expect(reports.map((r) => [r.projection, r.swapped, r.events])).toEqual(
      copies.map((c) => [c.name, true, 260]),
    );
    for (const copy of copies) {
      const { rows } = await pool.query(`SELECT sum(n)::int AS total FROM ${copy.schema}.counts`);
      expect(rows[0].total).toBe(260);
    }
  });

  it('ends the pass when one projection fails: none is swapped, and the failure is reported', async () => {
    let pages = 0;
    const failing: Projection = {
      ...tally,
      name: 'tally-broken',
      schema: 'rm_tally_broken',
      apply: async (events, tx) => {
        pages += 1;
        if (pages === 3) throw new Error('broken projection');
        await tally.apply(events, tx);
      },
    };
    const later = { ...tally, name: 'tally-later', schema: 'rm_tally_later' };
    await expect(
      new ProjectionRebuilder(store, pool).rebuildAll([failing, later], { concurrency: 1, batchSize: 50 }),
    ).rejects.toThrow('broken projection');
    // The rebuild's own checkpoint shows how far it got: the first two pages, 100 events.
    expect(await readCheckpoint(pool, 'tally-broken__rebuild')).toMatchObject({ events: 100 });
    expect(await readCheckpoint(pool, 'tally-later__rebuild')).toMatchObject({ events: 100 });
    // Its live tables exist (a rebuild creates them), empty: the rebuilt ones were not swapped in.
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM rm_tally_later.counts');
    expect(rows[0].n).toBe(0);
    expect(await readCheckpoint(pool, 'tally-later')).toBeNull();
  });

  it('reads the log once for several projections: each sees only its own events', async () => {
    const others: Projection = {
      ...tally,
      name: 'others',
      schema: 'rm_others',
      handles: ['Other'],
    };
    await store.append('elsewhere-1', [{ ...event(0), type: 'Other' }]);
    const reports = await new ProjectionRebuilder(store, pool).rebuildAll(
      [others, { ...tally, name: 'tally-4', schema: 'rm_tally_4' }],
      {
        concurrency: 2,
        batchSize: 7,
      },
    );
    expect(reports.map((r) => [r.projection, r.events, r.swapped])).toEqual([
      ['others', 1, true],
      ['tally-4', 260, true],
    ]);
    const { rows } = await pool.query('SELECT stream, n FROM rm_others.counts');
    expect(rows).toEqual([{ stream: 'elsewhere-1', n: 1 }]);

    // The shared pass left tally-4's checkpoint at the last event of all (an 'Other'), past its
    // own last event: rebuilt alone, it reads only its own events, and still compares and swaps.
    expect((await readCheckpoint(pool, 'tally-4'))?.position).toBe(await store.headPosition());
    const started = Date.now();
    const alone = await new ProjectionRebuilder(store, pool).rebuild({
      ...tally,
      name: 'tally-4',
      schema: 'rm_tally_4',
    });
    expect(alone).toMatchObject({ projection: 'tally-4', swapped: true, differences: [], events: 260 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

const event = (i: number): NewEvent => testEvent('Tallied', { i });
