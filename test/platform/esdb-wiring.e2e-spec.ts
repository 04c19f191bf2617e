import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { EsdbTestDouble } from '../event-store/esdb-test-double/esdb-test-double.js';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';
import { SampleRoutesModule } from './support/sample-routes.module.js';

/**
 * EVENT_STORE=esdb wires the EventStoreDB adapter (here against the protocol test double, not a
 * server); the read models stay on PostgreSQL.
 */
describe('EVENT_STORE=esdb', () => {
  let double: EsdbTestDouble;
  let subject: PlatformTestApp;

  beforeAll(async () => {
    double = await EsdbTestDouble.start();
    subject = await startPlatformTestApp({
      env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString },
      extraModules: [SampleRoutesModule],
    });
  });

  afterAll(async () => {
    await subject?.close();
    await double?.stop();
  });

  it('is ready, and appends through the EventStoreDB adapter', async () => {
    await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
    const res = await request(subject.app.getHttpServer())
      .post('/sample/events')
      .set('authorization', `Bearer ${await subject.token()}`)
      .expect(201);
    expect(res.body.nextRevision).toBe(0);
    const store = subject.app.get<EventStore>(EVENT_STORE);
    expect(await store.readAll()).toHaveLength(1);
  });

  it('turns readiness red when the EventStoreDB server goes away', async () => {
    await double.stop();
    const res = await request(subject.app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.checks).toMatchObject({
      eventStore: { status: 'down' },
      readModelDatabase: { status: 'up' },
    });
  }, 20_000);
});
