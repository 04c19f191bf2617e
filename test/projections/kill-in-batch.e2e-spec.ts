import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore, type NewEvent } from '@cadre/event-store';
import { ProjectionRebuilder, ProjectionRunner, readCheckpoint } from '@cadre/subscriptions';
import { readModelProjections } from '@cadre/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const DIST = resolve('dist');

/**
 * A worker killed with SIGKILL inside a batch's open transaction (a test-only hook holds it there,
 * in a child process) loses nothing and doubles nothing: once another worker has taken over, the
 * read model equals a fresh rebuild from the log.
 */
describe('a projection worker killed inside a batch', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'libs/subscriptions/src/index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    }
    database = await createTestDatabase('kill_in_batch');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await pool.end();
    await store.close();
    await database.drop();
  });

  it('is taken over by another worker, and the read model equals a fresh rebuild', async () => {
    const events: NewEvent[] = [];
    for (let i = 0; i < 300; i += 1) {
      const event = newEvent(i);
      events.push(event);
      await store.append(`staff-${i % 13}`, [event]);
    }
    const stopAt = events[170].eventId;
    const marker = join(mkdtempSync(join(tmpdir(), 'cadre-kill-')), 'inside');
    child = spawn(
      process.execPath,
      [resolve('test/projections/kill-in-batch.child.mjs'), DIST, database.url, stopAt, marker],
      {
        stdio: 'inherit',
      },
    );
    await waitFor(async () => existsSync(marker), 20_000);
    const before = await readCheckpoint(pool, 'history');
    child.kill('SIGKILL');
    await new Promise((resolveExit) => child?.once('exit', resolveExit));

    // The killed batch never committed: the checkpoint is where the last committed batch left it.
    expect(before?.events ?? 0).toBeLessThan(171);
    const history = readModelProjections({}).find((projection) => projection.name === 'history');
    if (!history) throw new Error('no history projection');
    const successor = new ProjectionRunner(store, pool, database.url, history, {
      leaseRetryMs: 50,
      batchSize: 50,
    });
    successor.start();
    const head = await store.headPosition();
    await waitFor(async () => (await readCheckpoint(pool, 'history'))?.position === head, 20_000);
    await successor.stop();

    const { rows } = await pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_n FROM rm_history.events',
    );
    expect(rows[0]).toEqual({ n: 300, distinct_n: 300 });
    const rebuilt = await new ProjectionRebuilder(store, pool).rebuild(history);
    expect(rebuilt.differences).toEqual([]);
  }, 60_000);
});

function newEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'StaffMemberRoleChanged',
    data: { i },
    metadata: {
      correlationId: `c-${i}`,
      causationId: null,
      actor: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
  }
}
