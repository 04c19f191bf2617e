import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { testEvent } from '../../../test/support/test-events.js';
import { readCheckpoint } from './checkpoint-store.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** A toy read model: one row per event it handles; a doubled event would violate the primary key. */
const seen = (handled: string, schema = 'rm_seen'): Projection => ({
  name: 'seen',
  version: 1,
  handles: [handled],
  tables: ['events'],
  schema,
  createTables: async (tx, target) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${target}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${target}.events (event_id uuid PRIMARY KEY, stream text NOT NULL)`,
    );
  },
  apply: async (events, tx) => {
    await tx.query(
      `INSERT INTO ${tx.schema}.events (event_id, stream) SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [events.map((e) => e.eventId), events.map((e) => e.stream)],
    );
  },
});

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('runner');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await pool
      .query('DROP SCHEMA IF EXISTS rm_seen CASCADE; DELETE FROM cadre_projections.checkpoints')
      .catch(() => undefined);
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await database.drop();
  });

  // Each test counts an event type of its own: the log is shared by the tests of this file.
  const runner = (
    handled: string,
    options: ConstructorParameters<typeof ProjectionRunner>[4] = {},
  ): ProjectionRunner => {
    const created = new ProjectionRunner(store, pool, database.url, seen(handled), {
      leaseRetryMs: 100,
      batchSize: 20,
      ...options,
    });
    runners.push(created);
    return created;
  };

  it('applies only the events it handles, in batches, and keeps its checkpoint with them', async () => {
    await append(store, 50, 'Counted');
    await append(store, 10, 'Ignored');
    const subject = runner('Counted');
    subject.start();
    await waitFor(async () => (await count(pool)) === 50);

    const checkpoint = await readCheckpoint(pool, 'seen');
    expect(checkpoint).toMatchObject({ version: 1, events: 50 });
    expect(subject.status()).toMatchObject({ state: 'running', appliedSinceStart: 50 });
  });

  it('loses nothing and doubles nothing when a batch fails inside its transaction', async () => {
    await append(store, 30, 'Crashed');
    let failures = 2;
    const subject = runner('Crashed', {
      inBatchHookForTests: async () => {
        if (failures-- > 0) throw new Error('crash inside the batch');
      },
    });
    subject.start();
    await waitFor(async () => (await count(pool)) === 30, 15_000);
    await sleep(200);
    expect(await count(pool)).toBe(30);
  });

  it('shows the error of a failing batch without the values PostgreSQL quotes in it (readiness shows it)', async () => {
    await append(store, 1, 'Refused');
    const refusing: Projection = {
      ...seen('Refused'),
      // PostgreSQL answers: invalid input syntax for type integer: "Xquorrelle Staff"
      apply: async (_events, tx) => {
        await tx.query('SELECT $1::int', ['Xquorrelle Staff']);
      },
    };
    const subject = new ProjectionRunner(store, pool, database.url, refusing, { leaseRetryMs: 100 });
    runners.push(subject);
    subject.start();
    await waitFor(async () => subject.status().error !== null);

    expect(subject.status().error).toContain('invalid input syntax for type integer');
    expect(subject.status().error).not.toContain('Xquorrelle');
  });

  it('runs one runner per projection: the second takes over when the first stops', async () => {
    const first = runner('Competed');
    const second = runner('Competed');
    first.start();
    await waitFor(async () => first.status().state === 'running');
    second.start();
    const writing = append(store, 60, 'Competed', 5);
    await sleep(300);
    expect(second.status().state).toBe('waiting-for-lease');

    await first.stop();
    await writing;
    await waitFor(async () => (await count(pool)) === 60, 10_000);
    expect(second.status().state).toBe('running');
    expect(await count(pool)).toBe(60);
  });
});

async function append(store: PostgresEventStore, n: number, type: string, pauseMs = 0): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await store.append(`thing-${i % 5}`, [testEvent(type)]);
    if (pauseMs) await sleep(pauseMs);
  }
}

async function count(pool: pg.Pool): Promise<number> {
  const result = await pool
    .query('SELECT count(*)::int AS n FROM rm_seen.events')
    .catch(() => ({ rows: [{ n: -1 }] }));
  return result.rows[0].n as number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
