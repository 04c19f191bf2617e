import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { Receiver } from './support/webhook-receiver.js';

/**
 * Issue 13: the retry schedule and the health thresholds are configuration (CADRE_WEBHOOK_*),
 * taken by the in-process worker's dispatcher (the test default would be three attempts 50 ms apart).
 */
describe('webhooks: the schedule and thresholds of CADRE_WEBHOOK_*', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let hr: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    subject = await startPlatformTestApp({
      env: {
        CADRE_WEBHOOK_RETRY_SCHEDULE: '0s,200ms',
        CADRE_WEBHOOK_RETRY_JITTER_PERCENT: '0',
        CADRE_WEBHOOK_FAILING_AFTER: '3',
        CADRE_WEBHOOK_PROBE_SCHEDULE: '1s',
        CADRE_WEBHOOK_DISABLE_AFTER: '1s',
      },
    });
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL']);
    hr = `Bearer ${await subject.token({ sub: 'hr-al', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => {
    await subject?.close();
    for (const receiver of receivers) await receiver.close();
  });

  const until = async (done: () => boolean | Promise<boolean>, ms = 15_000) => {
    for (const started = Date.now(); !(await done());) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const subscribed = async (): Promise<{ receiver: Receiver; id: string }> => {
    const receiver = new Receiver();
    receivers.push(receiver);
    const url = await receiver.start();
    const created = await request(server)
      .post('/v1/webhook-subscriptions')
      .set('Authorization', hr)
      .send({ url, from: 'now' })
      .expect(201);
    receiver.secret = created.body.secret;
    return { receiver, id: created.body.id as string };
  };
  const get = async (id: string, path = '') =>
    (await request(server).get(`/v1/webhook-subscriptions/${id}${path}`).set('Authorization', hr).expect(200))
      .body;

  it('an event is dead-lettered after the two attempts of CADRE_WEBHOOK_RETRY_SCHEDULE, 200 ms apart', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 500 });
    const staffId = await fixtures.staff();
    await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    await until(async () => (await get(id, '/dead-letters')).items.length === 1);
    const [letter] = (await get(id, '/dead-letters')).items;
    expect(letter.attempts).toBe(2);
    const times = receiver.attemptTimes.get(letter.eventId)!;
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(190);
  });

  it('a receiver failing 3 attempts in a row is failing, and disabled after CADRE_WEBHOOK_DISABLE_AFTER', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 503 });
    for (let i = 0; i < 3; i += 1) {
      const staffId = await fixtures.staff();
      await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    }
    await until(async () => (await get(id)).state === 'failing');
    expect((await get(id)).consecutiveFailures).toBe(3);
    await until(async () => (await get(id)).state === 'disabled');
    expect((await get(id)).stateReason).toContain('too long');
    expect((await get(id, '/dead-letters')).items).toEqual([]);
  });
});
