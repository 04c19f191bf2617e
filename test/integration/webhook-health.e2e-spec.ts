import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { SharedConnectionLeases } from '@cadre/subscriptions';
import type { WebhookDispatcher, WebhookDispatcherOptions } from '@cadre/integration';
import { WebhookDeliveryWorker } from '../../apps/worker/src/processes/webhook-delivery.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { Receiver } from './support/webhook-receiver.js';

const OPTIONS: WebhookDispatcherOptions = {
  retryDelaysMs: [50, 50],
  retryJitter: 0,
  pollMs: 100,
  health: { failingAfter: 3, probeDelaysMs: [300, 600], disableAfterMs: 3000 },
};

/** Issue 13 item 3: a failing receiver is held and probed, not emptied into the dead letters. */
describe('webhooks: endpoint health (failing, probes, disabled, 410, Retry-After, pause and resume)', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let hr: string;
  let leases: SharedConnectionLeases;
  let dispatcher: WebhookDispatcher;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    hr = `Bearer ${await subject.token({ sub: 'hr-al', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
    // A worker of our own: three attempts 50 ms apart per event (they would be dead-lettered within
    // 0.1 s), failing after 3 failures in a row, probes 300 ms then 600 ms apart, disabled after 3 s.
    const own = subject.app.get(WebhookDeliveryWorker);
    await own.dispatcher.stop();
    leases = new SharedConnectionLeases(subject.config.DATABASE_URL!);
    dispatcher = own.dispatcherWith(leases, OPTIONS);
    dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await leases?.close();
    await subject?.close();
    for (const receiver of receivers) await receiver.close();
  });

  const until = async (done: () => boolean | Promise<boolean>, ms = 15_000) => {
    for (const started = Date.now(); !(await done());) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const subscription = async (id: string) =>
    (await request(server).get(`/v1/webhook-subscriptions/${id}`).set('Authorization', hr).expect(200)).body;
  const action = (id: string, name: string) =>
    request(server).post(`/v1/webhook-subscriptions/${id}/${name}`).set('Authorization', hr);
  /** A receiver and a subscription to it from now. */
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
    expect(created.body).toMatchObject({ state: 'active', consecutiveFailures: 0, lastSuccessAt: null });
    return { receiver, id: created.body.id as string };
  };
  /** `perMember` events of each of `members` new members: their ids by member, in log order. */
  const events = async (members: number, perMember: number): Promise<Map<string, string[]>> => {
    const expected = new Map<string, string[]>();
    for (let m = 0; m < members; m += 1) {
      const staffId = await fixtures.staff();
      const ids: string[] = [];
      for (let i = 0; i < perMember; i += 1) {
        await fixtures.certify(staffId, 'dynamic-security', 'awareness');
        ids.push((await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId);
      }
      expected.set(staffId, ids);
    }
    return expected;
  };
  const bySubject = (receiver: Receiver): Map<string, string[]> => {
    const order = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const r of receiver.received) {
      if (seen.has(r.webhookId)) continue;
      seen.add(r.webhookId);
      order.set(String(r.event.subject), [...(order.get(String(r.event.subject)) ?? []), r.webhookId]);
    }
    return order;
  };
  const deadLetters = async (id: string) =>
    (
      await request(server)
        .get(`/v1/webhook-subscriptions/${id}/dead-letters`)
        .set('Authorization', hr)
        .expect(200)
    ).body.items;

  it('a receiver down for seconds: failing, probed one at a time on a backoff, nothing dead-lettered; back, everything arrives in order', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 503 });
    const expected = await events(4, 3);
    await until(async () => (await subscription(id)).state === 'failing');
    const failing = await subscription(id);
    expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(failing.lastFailureAt).not.toBeNull();
    expect(failing.lag.events).toBe(12);
    const atFailing = receiver.attempts.length;
    await pause(2000);
    // Probes only, one at a time: 300 ms, then 600 ms apart — a handful in 2 s, not 12 events × 3.
    const probes = receiver.attempts.length - atFailing;
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(5);
    expect(await deadLetters(id)).toEqual([]);
    receiver.answer = () => null;
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 12);
    expect(bySubject(receiver)).toEqual(expected);
    expect(await deadLetters(id)).toEqual([]);
    // Each outcome is recorded just after the receiver's answer.
    await until(async () => (await subscription(id)).lag.events === 0);
    const recovered = await subscription(id);
    expect(recovered).toMatchObject({ state: 'active', consecutiveFailures: 0, lag: { events: 0 } });
    expect(recovered.lastSuccessAt).not.toBeNull();
  });

  it('410 Gone disables at once; enable resumes from where it stood (409 when not disabled)', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 410 });
    const expected = await events(2, 2);
    await until(async () => (await subscription(id)).state === 'disabled');
    expect((await subscription(id)).stateReason).toContain('410');
    const attempts = receiver.attempts.length;
    await pause(800);
    expect(receiver.attempts.length).toBe(attempts);
    receiver.answer = () => null;
    const enabled = await action(id, 'enable').expect(200);
    expect(enabled.body.state).toBe('active');
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 4);
    expect(bySubject(receiver)).toEqual(expected);
    const refused = await action(id, 'enable').expect(409);
    expect(refused.body).toMatchObject({ code: 'WEBHOOK.SUBSCRIPTION_STATE' });
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('a disabled subscription queues nothing while events are appended (its cursor stays); enable sends them all, in order per member', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 410 });
    const before = await events(1, 1);
    await until(async () => (await subscription(id)).state === 'disabled');
    await pause(1500);
    const disabled = await subscription(id);
    expect(disabled.lag.events).toBe(1);
    const during = await events(3, 3);
    // Long enough for a runner (batches at once) and the dispatcher (every second) to have queued them.
    await pause(2500);
    const still = await subscription(id);
    expect(still).toMatchObject({ state: 'disabled', cursor: disabled.cursor, lag: { events: 1 } });
    receiver.answer = () => null;
    await action(id, 'enable').expect(200);
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 10);
    expect(bySubject(receiver)).toEqual(new Map([...before, ...during]));
    await until(async () => (await subscription(id)).lag.events === 0);
  });

  it('Retry-After on a 503 holds the whole subscription that long, without spending the event', async () => {
    const { receiver, id } = await subscribed();
    let toldAt: number | null = null;
    receiver.answer = () => {
      if (toldAt !== null) return null;
      toldAt = Date.now();
      return { status: 503, headers: { 'retry-after': '2' } };
    };
    const expected = await events(3, 1);
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 3);
    // Once told to wait 2 s, no attempt of any event was made before they had passed (those
    // already on their way when it was told excepted).
    const times = [...receiver.attemptTimes.values()].flat();
    const retried = times.filter((t) => t > toldAt! + 100);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...retried) - toldAt!).toBeGreaterThanOrEqual(1900);
    expect(bySubject(receiver)).toEqual(expected);
    expect(await deadLetters(id)).toEqual([]);
  });

  it('pause holds every event (nothing sent, lag grows); resume sends them in order; 409 and 404 otherwise', async () => {
    const { receiver, id } = await subscribed();
    expect((await action(id, 'pause').expect(200)).body.state).toBe('paused');
    await action(id, 'pause').expect(409);
    const expected = await events(2, 2);
    await until(async () => (await subscription(id)).lag.events === 4);
    await pause(500);
    expect(receiver.attempts).toEqual([]);
    expect((await action(id, 'resume').expect(200)).body.state).toBe('active');
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 4);
    expect(bySubject(receiver)).toEqual(expected);
    await action(id, 'resume').expect(409);
    const other = `Bearer ${await subject.token({ sub: 'hr-other', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
    await request(server)
      .post(`/v1/webhook-subscriptions/${id}/pause`)
      .set('Authorization', other)
      .expect(404);
  });

  it('what is queued survives a restart: a new worker delivers it, in order', async () => {
    const { receiver, id } = await subscribed();
    await action(id, 'pause').expect(200);
    const expected = await events(3, 2);
    await until(async () => (await subscription(id)).lag.events === 6);
    // The worker stops (its lease connection closed); another starts, and delivery resumes.
    await dispatcher.stop();
    await leases.close();
    const own = subject.app.get(WebhookDeliveryWorker);
    leases = new SharedConnectionLeases(subject.config.DATABASE_URL!);
    dispatcher = own.dispatcherWith(leases, OPTIONS);
    dispatcher.start();
    await action(id, 'resume').expect(200);
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 6);
    expect(bySubject(receiver)).toEqual(expected);
    expect(receiver.attempts).toHaveLength(6);
  });

  it('failing for longer than the limit: disabled, shown in GET and /metrics', async () => {
    const { receiver, id } = await subscribed();
    receiver.answer = () => ({ status: 500 });
    await events(1, 4);
    await until(async () => (await subscription(id)).state === 'disabled', 10_000);
    expect((await subscription(id)).stateReason).toContain('too long');
    expect(await deadLetters(id)).toEqual([]);
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toContain(
      `cadre_webhook_subscription_state{subscription="${id}",state="disabled"} 1`,
    );
    expect(metrics.text).toMatch(new RegExp(`cadre_webhook_lag_events\\{subscription="${id}"\\} 4`));
  });
});
