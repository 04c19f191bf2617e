import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  DuplicateEventIdError,
  InvalidPositionError,
  PostgresEventStore,
  type NewEvent,
} from '@cadre/event-store';
import { ManualClock } from '@cadre/kernel';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testEvent } from '../support/test-events.js';

/** What the PostgreSQL adapter promises beyond the contract every adapter keeps. */
describe('PostgreSQL adapter specifics', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('es_specifics');
    store = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  // EventStoreDB deduplicates ids within a stream only; PostgreSQL has a unique index over the log.
  it('refuses an event id already recorded in another stream, writing nothing', async () => {
    const original = event();
    await store.append('staff-1', [original]);

    await expect(store.append('team-1', [original])).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('team-1')).toEqual([]);
  });

  it('spells a position <tx>-<seq> zero-padded to 20 digits each, and reads the unpadded spelling of earlier versions forever', async () => {
    await store.append('staff-5', [event(), event(), event()]);
    const [a, b, c] = (await store.readStream('staff-5')).map((e) => e.position);
    for (const position of [a, b, c]) expect(position).toMatch(/^\d{20}-\d{20}$/);
    const old = (position: string): string => position.split('-').map(BigInt).join('-');
    expect(old(b)).toMatch(/^[1-9]\d*-[1-9]\d*$/);
    expect(store.parsePosition(old(b))).toBe(b);
    expect(store.comparePositions(old(a), b)).toBeLessThan(0);
    expect((await store.readAll({ after: old(a) })).map((e) => e.position)).toEqual([b, c]);
    expect(() => store.parsePosition(b.replace('-', ':'))).toThrow(InvalidPositionError);
  });

  it('stamps recordedAt in UTC with milliseconds, so an instant read back selects the same events', async () => {
    await store.append('staff-2', [event(), event()]);
    const [first] = await store.readStream('staff-2');
    expect(first.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await store.readStream('staff-2', { untilRecordedAt: first.recordedAt })).toHaveLength(2);
  });

  it('stamps recordedAt from the clock it is given (the process’s), and a caller of the nine-argument append (a process deployed before) keeps working', async () => {
    const clock = new ManualClock('2031-05-04T03:02:01.123Z');
    const timed = await PostgresEventStore.connect({ connectionString: database.url, clock });
    try {
      await timed.append('staff-3', [event()]);
      clock.advance(90_000);
      await timed.append('staff-3', [event()]);
      expect((await timed.readStream('staff-3')).map((e) => e.recordedAt)).toEqual([
        '2031-05-04T03:02:01.123Z',
        '2031-05-04T03:03:31.123Z',
      ]);
      // An older process calls append with nine arguments: the server's now() stamps it.
      const admin = new pg.Pool({ connectionString: database.url, max: 1 });
      try {
        const before = Date.now() - 1000;
        await admin.query(
          `SELECT * FROM cadre_es.append('staff-4', 1::smallint, NULL, $1::uuid[], $2, $3, $4, $5, $6)`,
          [[randomUUID()], ['StaffNoted'], ['{}'], ['{}'], ['x'], ['y']],
        );
        const [older] = await store.readStream('staff-4');
        expect(Date.parse(older!.recordedAt)).toBeGreaterThanOrEqual(before);
      } finally {
        await admin.end();
      }
    } finally {
      await timed.close();
    }
  });

  it('keeps its LISTEN connection after the last subscription ends (a long-poll subscribes per request), ends it on close', async () => {
    const own = await PostgresEventStore.connect({ connectionString: database.url });
    const admin = new pg.Pool({ connectionString: database.url, max: 1 });
    const listeners = async (): Promise<number[]> =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cadre-es-listener'`,
        )
      ).rows.map((row) => row.pid);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const others = await listeners();
      const pids = new Set<number>();
      for (let round = 0; round < 3; round += 1) {
        const subscription = own.subscribeToAll({});
        const iterator = subscription[Symbol.asyncIterator]();
        const next = iterator.next();
        for (let i = 0; i < 100 && (await listeners()).length === others.length; i += 1) await pause(20);
        await own.append(`linger-${round}`, [event()]);
        await next;
        await subscription.close();
        await iterator.return?.(undefined);
        await pause(300);
        // Still listening, and on the same connection, for the next request's subscription.
        const now = (await listeners()).filter((pid) => !others.includes(pid));
        expect(now).toHaveLength(1);
        pids.add(now[0]);
      }
      expect(pids.size).toBe(1);
      await own.close();
      for (let i = 0; i < 100 && (await listeners()).length > others.length; i += 1) await pause(20);
      expect((await listeners()).length).toBe(others.length);
    } finally {
      await own.close();
      await admin.end();
    }
  });
});

const event = (): NewEvent => testEvent('Happened');
