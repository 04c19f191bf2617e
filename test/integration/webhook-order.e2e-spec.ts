import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type pg from 'pg';
import request from 'supertest';
import { STANDARD_RETRY_DELAYS_MS } from '@cadre/integration';
import { SharedConnectionLeases } from '@cadre/subscriptions';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { WebhookDeliveryWorker } from '../../apps/worker/src/processes/webhook-delivery.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { Receiver } from './support/webhook-receiver.js';

/** Issue 13: order per staff member (the CloudEvents subject), many events in flight, retries in hours. */
describe('webhooks: in order per staff member, maxInFlight at once, retried on a schedule', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let hr: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    hr = `Bearer ${await subject.token({ sub: 'hr-al', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => {
    await subject?.close();
    for (const receiver of receivers) await receiver.close();
  });

  const receiver = async (): Promise<{ receiver: Receiver; url: string }> => {
    const started = new Receiver();
    receivers.push(started);
    return { receiver: started, url: await started.start() };
  };
  const subscribe = (body: object) =>
    request(server).post('/v1/webhook-subscriptions').set('Authorization', hr).send(body);
  const patch = (id: string, body: object, token = hr) =>
    request(server).patch(`/v1/webhook-subscriptions/${id}`).set('Authorization', token).send(body);
  const until = async (done: () => boolean, ms = 20_000) => {
    for (const started = Date.now(); !done();) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** `count` certification events of one member, in log order: an award, then renewals. */
  const certifications = async (staffId: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      await fixtures.certify(staffId, 'dynamic-security', 'awareness');
      ids.push((await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId);
    }
    return ids;
  };
  /** The first receipt of each event, by subject, in the order received. */
  const bySubject = (target: Receiver): Map<string, string[]> => {
    const seen = new Set<string>();
    const order = new Map<string, string[]>();
    for (const r of target.received) {
      if (seen.has(r.webhookId)) continue;
      seen.add(r.webhookId);
      const key = String(r.event.subject);
      order.set(key, [...(order.get(key) ?? []), r.webhookId]);
    }
    return order;
  };

  it('maxInFlight: 16 by default, 1 to 64 at creation and by PATCH, 400 outside, 404 for another HR system', async () => {
    const { url } = await receiver();
    const created = await subscribe({ url }).expect(201);
    expect(created.body.maxInFlight).toBe(16);
    for (const bad of [0, 65, 1.5, '4', null]) {
      const refused = await subscribe({ url, maxInFlight: bad }).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'WEBHOOK.INVALID_SUBSCRIPTION' });
      expect(refused.body.detail ?? refused.body.title).toBeTruthy();
      await patch(created.body.id, { maxInFlight: bad }).expect(400);
    }
    await patch(created.body.id, {}).expect(400);
    expect((await subscribe({ url, maxInFlight: 64 }).expect(201)).body.maxInFlight).toBe(64);
    expect((await patch(created.body.id, { maxInFlight: 1 }).expect(200)).body).toMatchObject({
      id: created.body.id,
      maxInFlight: 1,
    });
    const read = await request(server)
      .get(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(200);
    expect(read.body.maxInFlight).toBe(1);
    const other = `Bearer ${await subject.token({ sub: 'hr-other', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
    await patch(created.body.id, { maxInFlight: 4 }, other).expect(404);
    await patch('not-a-subscription', { maxInFlight: 4 }).expect(404);
  });

  it('2,000 events of 200 members with maxInFlight 16: each member in order, every event, never more than 16 at once', async () => {
    const { receiver: target, url } = await receiver();
    target.answerAfterMs = 5;
    target.answerJitterMs = 30;
    // A backlog (the subscription starts before the events), so that many of one member wait at once.
    const from = await fixtures.head();
    const members = await Promise.all(Array.from({ length: 200 }, () => fixtures.staff()));
    const expected = new Map<string, string[]>();
    // Ten members at a time, each member's ten events one after the other.
    for (let i = 0; i < members.length; i += 10) {
      await Promise.all(
        members.slice(i, i + 10).map(async (staffId) => {
          expected.set(staffId, await certifications(staffId, 10));
        }),
      );
    }
    const created = await subscribe({ url, from, maxInFlight: 16 }).expect(201);
    target.secret = created.body.secret;
    await until(() => new Set(target.received.map((r) => r.webhookId)).size >= 2000, 60_000);
    expect(target.rejectedSignatures).toEqual([]);
    expect(bySubject(target)).toEqual(expected);
    expect(target.subjectOverlaps).toBe(0);
    expect(target.maxConcurrent).toBeLessThanOrEqual(16);
    expect(target.maxConcurrent).toBeGreaterThan(1);
    // Nothing was sent again while the receiver answered every time.
    expect(target.attempts).toHaveLength(2000);
  }, 180_000);

  it('PATCH maxInFlight takes effect: no more requests at once than the new value', async () => {
    const { receiver: target, url } = await receiver();
    target.answerAfterMs = 10;
    target.answerJitterMs = 40;
    const from = await fixtures.head();
    const members = await Promise.all(Array.from({ length: 12 }, () => fixtures.staff()));
    const expected = new Map<string, string[]>();
    // One member after the other: a member's events are next to each other in the log.
    for (const staffId of members) expected.set(staffId, await certifications(staffId, 4));
    // A backlog, created at 1 then raised to 3: never more than 3 at once, more than 1 once raised.
    const created = await subscribe({ url, from, maxInFlight: 1 }).expect(201);
    target.secret = created.body.secret;
    await patch(created.body.id, { maxInFlight: 3 }).expect(200);
    await until(() => new Set(target.received.map((r) => r.webhookId)).size >= 48);
    expect(bySubject(target)).toEqual(expected);
    expect(target.subjectOverlaps).toBe(0);
    expect(target.maxConcurrent).toBeLessThanOrEqual(3);
    expect(target.maxConcurrent).toBeGreaterThan(1);
  });

  it("a member whose events keep failing holds only itself: retried on the compressed schedule, dead-lettered when it is spent, then the member's next event goes", async () => {
    // A worker of our own with Standard Webhooks' schedule compressed 20,000 times (~5 s in all).
    const scale = 1 / 20_000;
    const jitter = 0.2;
    const own = subject.app.get(WebhookDeliveryWorker);
    await own.dispatcher.stop();
    const leases = new SharedConnectionLeases(subject.config.DATABASE_URL!);
    const dispatcher = own.dispatcherWith(leases, {
      retryDelaysMs: STANDARD_RETRY_DELAYS_MS,
      retryScale: scale,
      retryJitter: jitter,
      pollMs: 100,
    });
    const { receiver: target, url } = await receiver();
    try {
      const created = await subscribe({ url, from: 'now' }).expect(201);
      target.secret = created.body.secret;
      dispatcher.start();
      const failing = await fixtures.staff();
      target.failing = (staffId) => staffId === failing;
      const [doomed, next] = await certifications(failing, 2);
      const others = await Promise.all([0, 1, 2].map(() => fixtures.staff()));
      const expected = new Map<string, string[]>();
      for (const staffId of others) expected.set(staffId, await certifications(staffId, 3));
      // The others all arrive, in order, while the failing member's first event is still retried.
      await until(() => target.received.length >= 9, 10_000);
      expect(bySubject(target)).toEqual(expected);
      expect(target.attemptTimes.get(doomed)!.length).toBeLessThan(8);
      expect(target.attemptTimes.get(next)).toBeUndefined();

      // Eight attempts of the doomed event, each after its delay; only then is it dead-lettered.
      await until(() => (target.attemptTimes.get(doomed)?.length ?? 0) >= 8, 15_000);
      target.failing = () => false;
      await until(() => target.received.some((r) => r.webhookId === next), 10_000);
      const times = target.attemptTimes.get(doomed)!;
      expect(times).toHaveLength(8);
      STANDARD_RETRY_DELAYS_MS.forEach((delay, i) => {
        expect(times[i + 1]! - times[i]!).toBeGreaterThanOrEqual(delay * scale * (1 - jitter) - 20);
      });
      // The member's next event went only after the doomed one's last attempt.
      expect(target.attemptTimes.get(next)![0]).toBeGreaterThan(times[7]!);
      const dead = await request(server)
        .get(`/v1/webhook-subscriptions/${created.body.id}/dead-letters`)
        .set('Authorization', hr)
        .expect(200);
      expect(dead.body.items).toEqual([
        expect.objectContaining({ eventId: doomed, attempts: 8, lastError: 'HTTP 503' }),
      ]);
      // Redelivered by hand: flagged out of order, as before.
      const redelivered = await request(server)
        .post(`/v1/webhook-subscriptions/${created.body.id}/dead-letters/${doomed}/redeliver`)
        .set('Authorization', hr)
        .expect(200);
      expect(redelivered.body).toMatchObject({ delivered: true, outOfOrder: true });
      expect(target.received.at(-1)).toMatchObject({
        webhookId: doomed,
        headers: { 'cadre-redelivery': 'out-of-order' },
      });
    } finally {
      await dispatcher.stop();
      await leases.close();
      own.dispatcher.start();
    }
  }, 60_000);

  it('replays a range (after from, up to to) with Cadre-Redelivery: replay; 400 on a bad range, 404 for another HR system', async () => {
    const { receiver: target, url } = await receiver();
    const created = await subscribe({ url, from: 'now' }).expect(201);
    target.secret = created.body.secret;
    const from = await fixtures.head();
    const a = await fixtures.staff();
    const b = await fixtures.staff();
    const ids = [...(await certifications(a, 2)), ...(await certifications(b, 2))];
    const positions = new Map(
      [
        ...(await fixtures.store.readStream(`staff-${a}`)),
        ...(await fixtures.store.readStream(`staff-${b}`)),
      ].map((e) => [e.eventId, e.position]),
    );
    await until(() => target.received.length >= 4);
    const replay = (body: object, token = hr) =>
      request(server)
        .post(`/v1/webhook-subscriptions/${created.body.id}/replay`)
        .set('Authorization', token)
        .send(body);
    // From before the first up to the third: the first three again, flagged, each member in order.
    const replayed = await replay({ from, to: positions.get(ids[2]!) }).expect(202);
    expect(replayed.body).toMatchObject({ replayed: 3, from, to: positions.get(ids[2]!) });
    await until(() => target.received.length >= 7);
    const again = target.received.slice(4);
    expect(again.map((r) => r.webhookId).sort()).toEqual(ids.slice(0, 3).sort());
    expect(again.every((r) => r.headers['cadre-redelivery'] === 'replay')).toBe(true);
    expect(again.filter((r) => r.event.subject === a).map((r) => r.webhookId)).toEqual(ids.slice(0, 2));
    // Without `to`: up to the head.
    expect((await replay({ from: positions.get(ids[2]!) }).expect(202)).body.replayed).toBe(1);
    await until(() => target.received.length >= 8);
    expect(target.received.at(-1)).toMatchObject({
      webhookId: ids[3],
      headers: { 'cadre-redelivery': 'replay' },
    });

    expect((await replay({ from: 'not-a-cursor' }).expect(400)).body.code).toBe('FEED.INVALID_CURSOR');
    expect((await replay({}).expect(400)).body.code).toBe('WEBHOOK.INVALID_REPLAY');
    const backwards = await replay({ from: positions.get(ids[3]!), to: positions.get(ids[0]!) }).expect(400);
    expect(backwards.body.code).toBe('WEBHOOK.INVALID_REPLAY');
    expect(backwards.headers['content-type']).toContain('application/problem+json');
    const other = `Bearer ${await subject.token({ sub: 'hr-other', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
    await replay({ from }, other).expect(404);
  });

  it('delivered events leave the queue: it holds only what is still to be delivered', async () => {
    const { receiver: target, url } = await receiver();
    const created = await subscribe({ url, from: 'now' }).expect(201);
    target.secret = created.body.secret;
    const staffId = await fixtures.staff();
    await certifications(staffId, 5);
    await until(() => target.received.length >= 5);
    // The outcome is recorded just after the receiver's answer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await subject.app
      .get<pg.Pool>(READ_MODEL_POOL)
      .query<{ n: number }>(
        'SELECT count(*)::int AS n FROM cadre_webhooks.deliveries WHERE subscription_id = $1',
        [created.body.id],
      );
    expect(rows[0].n).toBe(0);
  });
});
