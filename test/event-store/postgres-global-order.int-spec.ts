import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore, type NewEvent, type RecordedEvent } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;
const TOTAL = WRITERS * APPENDS_PER_WRITER;

/**
 * Sequence numbers are taken in one order and committed in another. Eight writers pause for a
 * random while between taking their position and committing; a live subscriber must still see
 * every event exactly once, in increasing order. A naive `position > last` reader over the same
 * log, run alongside, must be seen to skip events: the proof that the scenario can catch the bug.
 */
describe('PostgreSQL global order under concurrent writers', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let sql: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('global_order');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      poolSize: WRITERS + 4,
      beforeCommitForTests: () => sleep(Math.random() * 12),
    });
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await store.close();
    await sql.end();
    await database.drop();
  });

  it('a live subscriber sees every event once and in order, while a naive reader skips some', async () => {
    const subscription = store.subscribeToAll({ batchSize: 50 });
    const seen: RecordedEvent[] = [];
    const subscribed = (async () => {
      for await (const batch of subscription) {
        seen.push(...batch);
        if (seen.length >= TOTAL) break;
      }
    })();

    let writing = true;
    const naive = naiveReader(sql, () => writing);
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i += 1) {
          await store.append(`staff-${writer}`, [event(writer, i)]);
        }
      }),
    );
    writing = false;
    const naiveSeen = await naive;
    await withTimeout(subscribed, 15_000);
    await subscription.close();

    // The subscriber: all of them, once each, in increasing global order, each stream in revision order.
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(TOTAL);
    for (let i = 1; i < seen.length; i += 1) {
      expect(store.comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
    }
    for (let writer = 0; writer < WRITERS; writer += 1) {
      const revisions = seen.filter((e) => e.stream === `staff-${writer}`).map((e) => e.revision);
      expect(revisions).toEqual([...Array(APPENDS_PER_WRITER).keys()]);
    }

    // The naive reader, over the very same log and writers, missed events for good.
    const stored = Number((await sql.query('SELECT count(*) AS n FROM cadre_es.events')).rows[0].n);
    expect(stored).toBe(TOTAL);
    expect(naiveSeen.size).toBeLessThan(TOTAL);
  }, 60_000);

  it('is not held back by a long transaction that appends nothing, on another database of the cluster', async () => {
    const other = await createTestDatabase('bystander');
    const bystander = new pg.Client({ connectionString: other.url });
    await bystander.connect();
    try {
      // A read-model batch, a migration, another application: it writes, so it has a transaction id
      // older than the append below, and it stays open.
      await bystander.query('BEGIN');
      await bystander.query('CREATE TABLE busy (n int)');
      await bystander.query('INSERT INTO busy VALUES (1)');
      const { position } = await store.append('staff-bystander', [event(99, 0)]);
      const read = await store.readAll({ after: undefined, limit: 10_000 });
      expect(read.map((e) => e.position)).toContain(position);
      expect(await store.headPosition()).toBe(position);
    } finally {
      await bystander.query('ROLLBACK');
      await bystander.end();
      await other.drop();
    }
  });

  it('holds readers back behind an append still open, and refuses an append after another write of its transaction', async () => {
    const writer = await sql.connect();
    try {
      const before = await store.headPosition();
      await writer.query('BEGIN');
      await writer.query(
        `SELECT * FROM cadre_es.append('staff-open', 1::smallint, NULL, ARRAY[$1]::uuid[], ARRAY['Appended'],
                ARRAY['{}'], ARRAY['{}'], ARRAY['{"data":{},"revision":'], ARRAY['}'])`,
        [randomUUID()],
      );
      const { position } = await store.append('staff-after', [event(98, 0)]);
      // Committed, but behind an append that may still commit with a lower position: not yet seen.
      expect(await store.headPosition()).toBe(before);
      expect((await store.readAll({ limit: 10_000 })).map((e) => e.position)).not.toContain(position);
      await writer.query('COMMIT');
      expect(await store.headPosition()).toBe(position);

      await writer.query('BEGIN');
      await writer.query('CREATE TEMP TABLE wrote_first (n int) ON COMMIT DROP');
      await writer.query('INSERT INTO wrote_first VALUES (1)');
      await expect(
        writer.query(
          `SELECT * FROM cadre_es.append('staff-late', 1::smallint, NULL, ARRAY[$1]::uuid[], ARRAY['Appended'],
                  ARRAY['{}'], ARRAY['{}'], ARRAY['{"data":{},"revision":'], ARRAY['}'])`,
          [randomUUID()],
        ),
      ).rejects.toThrow('cadre_es.append must come before any other write of its transaction');
      await writer.query('ROLLBACK');
    } finally {
      writer.release();
    }
  });
});

/** Reads `seq > last` in a tight loop, as the buggy stores do, until the writers are done. */
async function naiveReader(sql: pg.Pool, writing: () => boolean): Promise<Set<string>> {
  const seen = new Set<string>();
  let last = '0';
  const readOnce = async (): Promise<void> => {
    const { rows } = await sql.query<{ seq: string; event_id: string }>(
      'SELECT seq::text AS seq, event_id::text AS event_id FROM cadre_es.events WHERE seq > $1 ORDER BY seq',
      [last],
    );
    for (const row of rows) seen.add(row.event_id);
    if (rows.length > 0) last = rows[rows.length - 1].seq;
  };
  while (writing()) {
    await readOnce();
    await sleep(1);
  }
  await readOnce();
  return seen;
}

function event(writer: number, i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Appended',
    data: { writer, i },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
