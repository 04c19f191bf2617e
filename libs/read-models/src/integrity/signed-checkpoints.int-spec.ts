import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  canonicalEventJson,
  chainHash,
  PostgresEventStore,
  UpcasterChain,
  type NewEvent,
} from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { readCheckpoint, ProjectionRunner } from '@cadre/subscriptions';
import { historyProjection } from '../history/history.projection.js';
import { DEVELOPMENT_CHECKPOINT_KEY, parseCheckpointKey } from './checkpoint-signing-key.js';
import { SignedCheckpoints } from './signed-checkpoints.js';

/**
 * Integrity verification catches what a hash chain alone cannot: each tampering below is done
 * behind the store's back, with direct SQL, as an attacker with database access would.
 */
describe('signed checkpoints and integrity verification', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let runner: ProjectionRunner;
  let checkpoints: SignedCheckpoints;

  beforeAll(async () => {
    database = await createTestDatabase('integrity');
    // Every stream holds an `A` of version 1, which this store reads as version 2 (decision 0014):
    // verification must still work on the stored bytes.
    const upcast = new UpcasterChain({
      currentVersions: { A: 2 },
      upcasters: [
        { type: 'A', fromVersion: 1, upcast: ({ data }) => ({ data: { ...(data as object), v: 2 } }) },
      ],
    }).upcast;
    store = await PostgresEventStore.connect({ connectionString: database.url, upcast });
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    for (const stream of ['staff-a', 'staff-b', 'staff-c', 'staff-d', 'staff-e']) {
      await store.append(stream, [event('A'), event('B'), event('C')]);
    }
    runner = new ProjectionRunner(store, pool, database.url, historyProjection(), { leaseRetryMs: 50 });
    runner.start();
    const head = await store.headPosition();
    await waitFor(async () => (await readCheckpoint(pool, 'history').catch(() => null))?.position === head);
    checkpoints = new SignedCheckpoints(pool, store, parseCheckpointKey(DEVELOPMENT_CHECKPOINT_KEY));
    await checkpoints.write();
  });
  afterAll(async () => {
    await runner.stop();
    await pool.end();
    await store.close();
    await database.drop();
  });

  it('finds nothing wrong in an untouched log', async () => {
    const report = await checkpoints.verify();
    expect(report).toMatchObject({ ok: true, streamsChecked: 5, eventsChecked: 15, findings: [] });
    expect((await store.readStream('staff-a'))[0]).toMatchObject({
      data: { v: 2 },
      metadata: { schemaVersion: 2 },
    });
  });

  it('catches a row altered by a direct UPDATE', async () => {
    await pool.query(
      `UPDATE cadre_es.events SET data = '{"forged":true}' WHERE stream_id = 'staff-a' AND revision = 1`,
    );
    const report = await checkpoints.verify({ stream: 'staff-a' });
    expect(report.findings).toEqual([
      expect.objectContaining({ stream: 'staff-a', kind: 'hash_mismatch', revision: 1 }),
    ]);
  });

  it('catches a stream rewritten and re-chained, which its own chain cannot see', async () => {
    // The attacker re-chains the stored bytes.
    const events = await store.readStream('staff-b', { stored: true });
    let previous: string | null = null;
    for (const recorded of events) {
      const data = recorded.revision === 1 ? { forged: true } : recorded.data;
      const hash = chainHash(
        previous,
        canonicalEventJson({ ...recorded, data }, 'staff-b', recorded.revision),
      );
      await pool.query(
        `UPDATE cadre_es.events SET data = $1, hash = decode($2, 'hex') WHERE stream_id = 'staff-b' AND revision = $3`,
        [JSON.stringify(data), hash, recorded.revision],
      );
      previous = hash;
    }
    expect((await store.verifyStream('staff-b')).ok).toBe(true);

    const report = await checkpoints.verify({ stream: 'staff-b' });
    expect(report.findings).toEqual([
      expect.objectContaining({ stream: 'staff-b', kind: 'rewritten', revision: 2 }),
    ]);
  });

  it('catches a deleted tail and a vanished stream', async () => {
    await pool.query(`DELETE FROM cadre_es.events WHERE stream_id = 'staff-c' AND revision = 2`);
    await pool.query(`DELETE FROM cadre_es.events WHERE stream_id = 'staff-d'`);

    const report = await checkpoints.verify();
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'staff-c', kind: 'truncated' }),
        expect.objectContaining({ stream: 'staff-d', kind: 'vanished' }),
      ]),
    );
    expect(report.findings.some((finding) => finding.stream === 'staff-e')).toBe(false);
  });

  it('catches a checkpoint altered in the database: its signature no longer holds', async () => {
    await pool.query(
      `UPDATE cadre_integrity.checkpoints SET body = json_build_object('createdAt', body->'createdAt', 'headPosition', body->'headPosition', 'streams', '[]'::json)`,
    );
    const report = await checkpoints.verify({ stream: 'staff-e' });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint_signature_invalid' })]);
  });
});

function event(type: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { type },
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
