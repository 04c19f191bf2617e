import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EventStoreUnavailableError,
  PostgresEventStore,
  type NewEvent,
  type RecordedEvent,
} from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/**
 * PostgreSQL goes away and comes back: a loopback proxy between the store and the server is cut
 * and restored. Appends fail fast with a typed error and write nothing; a subscription resumes
 * where it stopped.
 */
describe('PostgreSQL adapter when the database is unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let viaProxy: PostgresEventStore;
  let direct: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('faults');
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    viaProxy = await PostgresEventStore.connect({
      connectionString: proxied.toString(),
      connectTimeoutMs: 1000,
    });
    direct = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await viaProxy.close();
    await direct.close();
    await proxy.stop();
    await database.drop();
  });

  it('fails an append fast with EventStoreUnavailableError, writes nothing, and recovers', async () => {
    await viaProxy.append('staff-1', [event('Before')]);
    await proxy.cut();

    const started = Date.now();
    const refusal = await viaProxy.append('staff-1', [event('During')]).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EventStoreUnavailableError);
    expect(refusal).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE', category: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(viaProxy.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);

    await proxy.restore();
    expect((await direct.readStream('staff-1')).map((e) => e.type)).toEqual(['Before']);
    await viaProxy.append('staff-1', [event('After')]);
    expect((await direct.readStream('staff-1')).map((e) => e.type)).toEqual(['Before', 'After']);
  });

  it('resumes a subscription from its last position when the database returns', async () => {
    const subscription = viaProxy.subscribeToAll({ filter: { streamCategories: ['team'] } });
    const seen: RecordedEvent[] = [];
    const consuming = (async () => {
      for await (const batch of subscription) {
        seen.push(...batch);
        if (seen.length >= 20) break;
      }
    })();
    for (let i = 0; i < 10; i += 1) await direct.append('team-1', [event(`First${i}`)]);
    await waitUntil(() => seen.length >= 10);

    await proxy.cut();
    for (let i = 0; i < 10; i += 1) await direct.append('team-1', [event(`Second${i}`)]);
    await sleep(300);
    expect(seen).toHaveLength(10);
    await proxy.restore();

    await consuming;
    await subscription.close();
    expect(seen.map((e) => e.revision)).toEqual([...Array(20).keys()]);
  });
});

function event(type: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: {},
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

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
