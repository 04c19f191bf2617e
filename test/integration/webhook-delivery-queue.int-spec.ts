import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DeliveryQueue, WebhookSubscriptions, type QueuedEvent, type SecretBox } from '@cadre/integration';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const clear: SecretBox = { seal: (_id, secret) => secret, unseal: (_id, stored) => stored };

describe('webhook delivery queue: claims of subject heads, deliveries recorded by the next claim', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('delivery_queue');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const events = (subjects: number, each: number): QueuedEvent[] =>
    Array.from({ length: subjects * each }, (_, i) => ({
      eventId: randomUUID(),
      position: String(i + 1).padStart(10, '0'),
      stream: `staff-s${i % subjects}`,
      revision: Math.floor(i / subjects),
      subject: `s${i % subjects}`,
      recordedAt: new Date().toISOString(),
    }));

  it('claims one head per subject, oldest first, up to maxInFlight; the delivered ones leave with the next claim, whose heads follow them', async () => {
    const subscriptions = new WebhookSubscriptions(pool, clear);
    const queue = new DeliveryQueue(subscriptions);
    const { id } = await subscriptions.create({
      owner: 'hr',
      url: 'https://hr.example.org/hooks',
      eventTypes: [],
      jurisdictions: ['*'],
      cursor: null,
      maxInFlight: 4,
    });
    const queued = events(6, 3);
    expect(await queue.enqueue(id, null, queued.at(-1)!.position, queued)).toBe(true);
    const first = await queue.claim(id, 'lease-a', []);
    expect(first.claimed.map((e) => e.subject)).toEqual(['s0', 's1', 's2', 's3']);
    // Nothing free while the four are in flight.
    const inFlight = first.claimed.map((e) => e.seq);
    expect((await queue.claim(id, 'lease-a', inFlight)).claimed).toEqual([]);
    // Two delivered: recorded by this claim (one statement), their subjects' next events are heads.
    const delivered = inFlight.slice(0, 2);
    const next = await queue.claim(id, 'lease-a', inFlight, delivered);
    expect(next.acknowledged).toBe(true);
    expect(next.claimed.map((e) => e.subject)).toEqual(['s4', 's5']);
    expect(await queue.pending(id)).toBe(16);
    const after = await queue.claim(
      id,
      'lease-a',
      [...inFlight.slice(2), ...next.claimed.map((e) => e.seq)],
      [...inFlight.slice(2), ...next.claimed.map((e) => e.seq)],
    );
    // s0 and s1's second events are the oldest heads now.
    expect(after.claimed.map((e) => [e.subject, e.revision])).toEqual([
      ['s0', 1],
      ['s1', 1],
      ['s2', 1],
      ['s3', 1],
    ]);
    expect(await queue.pending(id)).toBe(12);
  });
});
