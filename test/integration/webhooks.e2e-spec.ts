import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import type pg from 'pg';
import { SharedConnectionLeases } from '@cadre/subscriptions';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { WebhookDeliveryWorker } from '../../apps/worker/src/processes/webhook-delivery.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { registration } from '../api/support/staff-world.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { Receiver } from './support/webhook-receiver.js';

describe('webhooks: subscriptions and signed, at-least-once, ordered delivery', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let hr: string;
  const receiver = new Receiver();
  let url: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    hr = `Bearer ${await subject.token({ sub: 'hr-al', roles: ['hr-system'], jurisdictions: ['AL'] })}`;
    url = await receiver.start();
  });
  afterAll(async () => {
    await subject?.close();
    await receiver.close();
  });

  const subscribe = (body: object) =>
    request(server).post('/v1/webhook-subscriptions').set('Authorization', hr).send(body);
  const COMPETENCIES = [
    'dynamic-security',
    'multi-agency-working',
    'vep-risk-assessment',
    'radicalisation-awareness',
  ];
  const until = async (done: () => boolean, ms = 20_000) => {
    for (const started = Date.now(); !done();) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('refuses a non-http(s) URL and an unknown event type (400), and another jurisdiction (403)', async () => {
    expect((await subscribe({ url: 'ftp://example.org/x' }).expect(400)).body.code).toBe(
      'WEBHOOK.INVALID_SUBSCRIPTION',
    );
    await subscribe({ url: 'not a url' }).expect(400);
    await subscribe({ url, eventTypes: ['org.cadre.certification.nope.v1'] }).expect(400);
    await subscribe({ url, jurisdictions: ['RS'] }).expect(403);
  });

  it('delivers every event once it recovers, in order, signed, the same webhook-id on a repeat', async () => {
    const created = await subscribe({ url, from: 'now' }).expect(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    receiver.secret = created.body.secret;
    const listed = await request(server)
      .get('/v1/webhook-subscriptions')
      .set('Authorization', hr)
      .expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, url })]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    receiver.failuresLeft = 2;
    const staffId = await fixtures.staff();
    const rsStaff = await fixtures.staff({ jurisdiction: 'RS' });
    await fixtures.certify(rsStaff, 'dynamic-security', 'awareness');
    const ids: string[] = [];
    for (const competency of ['dynamic-security', 'multi-agency-working', 'vep-risk-assessment']) {
      await fixtures.certify(staffId, competency, 'awareness');
      ids.push((await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId);
    }
    await until(() => new Set(receiver.received.map((r) => r.webhookId)).size >= 3);
    expect(receiver.rejectedSignatures).toEqual([]);
    expect(receiver.received.map((r) => r.webhookId)).toEqual(ids);
    expect(receiver.received.every((r) => r.event.id === r.webhookId)).toBe(true);
    // The two failures were attempts of the first event: a repeat carries the same webhook-id.
    expect(receiver.attempts.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(receiver.received[0].event).toMatchObject({
      type: 'org.cadre.certification.awarded.v1',
      subject: staffId,
      datacontenttype: 'application/json',
    });

    const ping = await request(server)
      .post(`/v1/webhook-subscriptions/${created.body.id}/ping`)
      .set('Authorization', hr)
      .expect(200);
    expect(ping.body.status).toBe(204);
    await request(server)
      .delete(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(204);
    await request(server)
      .get(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(404);
  });

  it('maxInFlight 1: delivers a backlog of several pages in total log order, each event once, across failures', async () => {
    const backlog = new Receiver();
    const backlogUrl = await backlog.start();
    try {
      const from = await fixtures.head();
      // 232 awards (58 members, four competencies each): three pages of delivery, read one ahead.
      const members = await Promise.all(Array.from({ length: 58 }, () => fixtures.staff()));
      await Promise.all(
        members.map(async (staffId) => {
          for (const competency of COMPETENCIES) await fixtures.certify(staffId, competency, 'expert');
        }),
      );
      const streams = new Set(members.map((staffId) => `staff-${staffId}`));
      const ids = (await fixtures.store.readAll({ after: from ?? undefined, limit: 10_000 }))
        .filter((e) => streams.has(e.stream) && e.type === 'CertificationAwarded')
        .map((e) => e.eventId);
      expect(ids).toHaveLength(232);
      const created = await subscribe({ url: backlogUrl, from, maxInFlight: 1 }).expect(201);
      expect(created.body.maxInFlight).toBe(1);
      backlog.secret = created.body.secret;
      await until(() => backlog.received.length >= 120);
      backlog.failuresLeft = 2;
      await until(() => backlog.received.length >= ids.length);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(backlog.rejectedSignatures).toEqual([]);
      expect(backlog.attempts.length).toBe(ids.length + 2);
      expect(backlog.received.map((r) => r.webhookId)).toEqual(ids);
      await request(server)
        .delete(`/v1/webhook-subscriptions/${created.body.id}`)
        .set('Authorization', hr)
        .expect(204);
    } finally {
      await backlog.close();
    }
  });

  it('puts an event that keeps failing in the dead letters and moves on', async () => {
    const created = await subscribe({ url, from: 'now' }).expect(201);
    receiver.secret = created.body.secret;
    receiver.received.length = 0;
    receiver.failuresLeft = 3; // the test worker tries 3 times
    const staffId = await fixtures.staff();
    await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    const lost = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId;
    await fixtures.certify(staffId, 'multi-agency-working', 'awareness');
    const next = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId;
    await until(() => receiver.received.length >= 1);
    expect(receiver.received.map((r) => r.webhookId)).toEqual([next]);
    const dead = await request(server)
      .get(`/v1/webhook-subscriptions/${created.body.id}/dead-letters`)
      .set('Authorization', hr)
      .expect(200);
    expect(dead.body.items).toEqual([
      expect.objectContaining({ eventId: lost, attempts: 3, lastError: 'HTTP 503' }),
    ]);

    // Redelivered by hand once the receiver is back: flagged out of order, and the list empties.
    const redelivered = await request(server)
      .post(`/v1/webhook-subscriptions/${created.body.id}/dead-letters/${lost}/redeliver`)
      .set('Authorization', hr)
      .expect(200);
    expect(redelivered.body).toMatchObject({ delivered: true, status: 204, outOfOrder: true });
    expect(receiver.received.at(-1)).toMatchObject({
      webhookId: lost,
      headers: { 'cadre-redelivery': 'out-of-order' },
    });
    const emptied = await request(server)
      .get(`/v1/webhook-subscriptions/${created.body.id}/dead-letters`)
      .set('Authorization', hr)
      .expect(200);
    expect(emptied.body.items).toEqual([]);
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cadre_webhook_delivery_attempts_total\{outcome="dead-lettered"\} [1-9]/);
    expect(metrics.text).toMatch(/cadre_webhook_delivery_attempts_total\{outcome="delivered"\} [1-9]/);
    await request(server)
      .delete(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(204);
  });

  it('keeps ids and the position of a dead letter only; redelivered after an erasure, it carries employeeRef null', async () => {
    const admin = `Bearer ${await subject.token({ sub: 'admin', roles: ['admin'], jurisdictions: ['*'] })}`;
    const created = await subscribe({ url, from: 'now' }).expect(201);
    receiver.secret = created.body.secret;
    receiver.received.length = 0;
    receiver.failuresLeft = 3; // the test worker tries 3 times
    const staffId = (
      await request(server)
        .post('/v1/staff')
        .set('Authorization', admin)
        .send(registration({ employeeRef: 'AL-HR-0777', name: 'Dritan Leka', email: 'd.leka@example.org' }))
        .expect(201)
    ).body.id as string;
    await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    const lost = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!;
    const letters = async () =>
      (
        await request(server)
          .get(`/v1/webhook-subscriptions/${created.body.id}/dead-letters`)
          .set('Authorization', hr)
          .expect(200)
      ).body.items as { eventId: string; position: string }[];
    let listed: { eventId: string; position: string }[] = [];
    for (const started = Date.now(); listed.length === 0; listed = await letters()) {
      if (Date.now() - started > 20_000) throw new Error('no dead letter in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed).toEqual([expect.objectContaining({ eventId: lost.eventId, position: lost.position })]);
    expect(listed[0].position).toMatch(/^\d{20}-\d{20}$/);
    // The table holds no personal data: no body, no employeeRef.
    const pool = subject.app.get<pg.Pool>(READ_MODEL_POOL);
    const { rows } = await pool.query(
      `SELECT row_to_json(d) AS row FROM cadre_webhooks.dead_letters d WHERE subscription_id = $1`,
      [created.body.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('AL-HR-0777');
    expect(Object.keys(rows[0].row).sort()).toEqual(
      ['attempts', 'event_id', 'last_error', 'position', 'recorded_at', 'subject', 'subscription_id'].sort(),
    );

    await request(server)
      .delete(`/v1/staff/${staffId}/personal-data`)
      .set('Authorization', admin)
      .expect(200);
    const redelivered = await request(server)
      .post(`/v1/webhook-subscriptions/${created.body.id}/dead-letters/${lost.eventId}/redeliver`)
      .set('Authorization', hr)
      .expect(200);
    expect(redelivered.body).toMatchObject({ delivered: true, status: 204, outOfOrder: true });
    const delivered = receiver.received.at(-1)!;
    expect(delivered).toMatchObject({
      webhookId: lost.eventId,
      headers: { 'cadre-redelivery': 'out-of-order' },
    });
    expect(delivered.event).toMatchObject({
      id: lost.eventId,
      subject: staffId,
      sequence: lost.position,
      type: 'org.cadre.certification.awarded.v1',
    });
    expect(delivered.event.data).toMatchObject({ employeeRef: null, competency: 'dynamic-security' });
    expect(JSON.stringify(delivered.event)).not.toContain('AL-HR-0777');

    // A cursor stored by an earlier version (unpadded) is shown in today's spelling, and delivery
    // resumes from it.
    const cursor = (
      await request(server)
        .get(`/v1/webhook-subscriptions/${created.body.id}`)
        .set('Authorization', hr)
        .expect(200)
    ).body.cursor as string;
    const unpadded = cursor.split('-').map(BigInt).join('-');
    expect(unpadded).not.toBe(cursor);
    await pool.query(`UPDATE cadre_webhooks.subscriptions SET cursor = $2 WHERE subscription_id = $1`, [
      created.body.id,
      unpadded,
    ]);
    const shown = await request(server)
      .get(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(200);
    expect(shown.body.cursor).toBe(cursor);
    await fixtures.certify(staffId, 'multi-agency-working', 'awareness');
    const next = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!;
    await until(() => receiver.received.some((r) => r.webhookId === next.eventId));
    expect(receiver.received.find((r) => r.webhookId === next.eventId)!.event.sequence).toBe(next.position);
    expect(next.position > lost.position).toBe(true);
    await request(server)
      .delete(`/v1/webhook-subscriptions/${created.body.id}`)
      .set('Authorization', hr)
      .expect(204);
  });

  it('rotates the secret with an overlap: deliveries verify with the old and the new one', async () => {
    const created = await subscribe({ url, from: 'now' }).expect(201);
    const old = created.body.secret as string;
    const rotated = await request(server)
      .post(`/v1/webhook-subscriptions/${created.body.id}/secret/rotate`)
      .set('Authorization', hr)
      .expect(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(old);
    // At rest both are sealed under the key-encryption key: neither is in the database in clear.
    const { rows } = await subject.app
      .get<pg.Pool>(READ_MODEL_POOL)
      .query<{ stored: string }>(
        `SELECT secret || ' ' || previous_secret AS stored FROM cadre_webhooks.subscriptions WHERE subscription_id = $1`,
        [created.body.id],
      );
    expect(rows[0].stored).not.toContain('whsec_');
    expect(rows[0].stored).not.toContain(old.slice('whsec_'.length));
    expect(rows[0].stored).not.toContain(fresh.slice('whsec_'.length));
    receiver.secret = old;
    receiver.received.length = 0;
    const staffId = await fixtures.staff();
    await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    await until(() => receiver.received.some((r) => r.event.subject === staffId));
    const delivered = receiver.received.find((r) => r.event.subject === staffId)!;
    expect(delivered.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(receiver.rejectedSignatures).toEqual([]);
    receiver.secret = fresh;
    const ping = await request(server)
      .post(`/v1/webhook-subscriptions/${created.body.id}/ping`)
      .set('Authorization', hr)
      .expect(200);
    expect(ping.body.status).toBe(204);
    expect(receiver.rejectedSignatures).toEqual([]);
  });

  it('a receiver that never answers stalls neither other subscriptions nor the read models', async () => {
    // More hanging subscriptions than the read-model pool has connections: a delivery that held a
    // connection while waiting for its receiver would exhaust it.
    const sockets = new Set<Socket>();
    const silent = createServer(() => undefined);
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks`;
    const hanging: string[] = [];
    try {
      for (let i = 0; i < 12; i += 1) {
        hanging.push((await subscribe({ url: silentUrl, from: 'now' }).expect(201)).body.id as string);
      }
      const created = await subscribe({ url, from: 'now' }).expect(201);
      receiver.secret = created.body.secret;
      const before = receiver.received.length;
      const staffId = await fixtures.staff();
      await fixtures.certify(staffId, 'dynamic-security', 'awareness');
      const eventId = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId;
      const started = Date.now();
      // Well within the 10 s a silent receiver is given before its attempt times out.
      await until(() => receiver.received.slice(before).some((r) => r.webhookId === eventId), 5000);
      expect(Date.now() - started).toBeLessThan(5000);
      await request(server).get('/v1/webhook-subscriptions').set('Authorization', hr).expect(200);
      await request(server)
        .delete(`/v1/webhook-subscriptions/${created.body.id}`)
        .set('Authorization', hr)
        .expect(204);
    } finally {
      for (const id of hanging) {
        await request(server).delete(`/v1/webhook-subscriptions/${id}`).set('Authorization', hr);
      }
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('when the worker delivering dies, another takes over within seconds: nothing lost, order kept', async () => {
    // Two workers of their own (the app's dispatcher stands aside), each with its lease connection.
    const own = subject.app.get(WebhookDeliveryWorker);
    await own.dispatcher.stop();
    const workers = [0, 1].map(() => {
      const leases = new SharedConnectionLeases(subject.config.DATABASE_URL!);
      return { leases, dispatcher: own.dispatcherWith(leases) };
    });
    const takeover = new Receiver();
    const takeoverUrl = await takeover.start();
    try {
      const created = await subscribe({ url: takeoverUrl, from: 'now' }).expect(201);
      takeover.secret = created.body.secret;
      for (const worker of workers) worker.dispatcher.start();
      // The receiver hangs: the worker delivering waits on its first event (not dead-lettering it).
      takeover.hanging = true;
      const staffId = await fixtures.staff();
      const ids: string[] = [];
      for (const competency of COMPETENCIES) {
        await fixtures.certify(staffId, competency, 'awareness');
        ids.push((await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!.eventId);
      }
      // One worker has claimed the member's first event and waits for the receiver's answer; the
      // member's later events wait behind it.
      await until(() => takeover.attempts.length >= 1);
      const { rows } = await subject.app
        .get<pg.Pool>(READ_MODEL_POOL)
        .query<{ claimed_by: string }>(
          `SELECT claimed_by FROM cadre_webhooks.deliveries WHERE subscription_id = $1 AND claimed_by IS NOT NULL`,
          [created.body.id],
        );
      expect(rows).toHaveLength(1);
      const holder = workers.find((worker) => worker.dispatcher.claimsOwner() === rows[0].claimed_by)!;
      expect(holder).toBeDefined();
      // It dies: its lease connection drops (its claims lapse with it), its deliveries stop.
      await holder.leases.close();
      void holder.dispatcher.stop();
      takeover.hanging = false;
      const died = Date.now();
      await until(() => new Set(takeover.received.map((r) => r.webhookId)).size >= ids.length, 5000);
      expect(Date.now() - died).toBeLessThan(5000);
      const firsts = takeover.received.map((r) => r.webhookId).filter((id, i, all) => all.indexOf(id) === i);
      expect(firsts).toEqual(ids);
      await request(server)
        .delete(`/v1/webhook-subscriptions/${created.body.id}`)
        .set('Authorization', hr)
        .expect(204);
    } finally {
      await takeover.close();
      for (const worker of workers) {
        await worker.dispatcher.stop();
        await worker.leases.close();
      }
      own.dispatcher.start();
    }
  });
});
