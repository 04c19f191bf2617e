import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { DATABASE, type Database } from '@cadre/platform';
import { ProjectionWorker, READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { AccessLog } from '../../apps/api/src/audit/access-log.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

describe('history and proof for auditors', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let sql: pg.Pool;
  let coordinator: string;
  let auditor: string;
  let admin: string;
  let correlationId: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    sql = new pg.Pool({ connectionString: subject.app.get<Database>(DATABASE).url, max: 2 });
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['*'] })}`;
    auditor = `Bearer ${await subject.token({ sub: 'audrey', roles: ['auditor'], jurisdictions: ['*'] })}`;
    admin = `Bearer ${await subject.token({ sub: 'root', roles: ['admin'], jurisdictions: ['*'] })}`;
    correlationId = 'audit-e2e-request-1';
    await request(server)
      .post('/v1/frameworks')
      .set('Authorization', coordinator)
      .set('x-correlation-id', correlationId)
      .send({ version: 'v1', title: 'Sample' })
      .expect(201);
    await request(server)
      .post('/v1/frameworks/v1/roles')
      .set('Authorization', coordinator)
      .send({ role: 'trainer', title: 'Trainer' })
      .expect(200);
    await request(server)
      .post('/v1/frameworks/v1/roles')
      .set('Authorization', coordinator)
      .send({ role: 'manager', title: 'Manager' })
      .expect(200);
  });
  afterAll(async () => {
    await sql?.end();
    await subject?.close();
  });

  it("shows a stream's events with who, when (both clocks) and caused by what", async () => {
    const res = await request(server)
      .get('/v1/audit/streams/framework-v1/events')
      .set('Authorization', auditor)
      .expect(200);
    expect(res.body.headRevision).toBe(2);
    expect(res.body.events[0]).toMatchObject({
      type: 'FrameworkVersionDrafted',
      revision: 0,
      actor: { sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['*'] },
      correlationId,
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await request(server)
      .get('/v1/audit/streams/framework-v9/events')
      .set('Authorization', auditor)
      .expect(404);
    await request(server)
      .get('/v1/audit/streams/framework-v1/events?limit=0')
      .set('Authorization', auditor)
      .expect(400);
  });

  it('lists everything one request caused, once the history has it', async () => {
    const res = await poll(
      () => request(server).get(`/v1/audit/correlations/${correlationId}`).set('Authorization', auditor),
      200,
    );
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['FrameworkVersionDrafted']);
  });

  it('verifies a stream against a signed checkpoint, and reports a row altered behind the store', async () => {
    const checkpoint = await request(server)
      .post('/v1/audit/integrity/checkpoints')
      .set('Authorization', admin)
      .expect(201);
    expect(checkpoint.body.streams).toBeGreaterThanOrEqual(1);
    await request(server).post('/v1/audit/integrity/checkpoints').set('Authorization', auditor).expect(403);

    const clean = await request(server)
      .get('/v1/audit/integrity?stream=framework-v1')
      .set('Authorization', auditor)
      .expect(200);
    expect(clean.body).toMatchObject({ ok: true, findings: [] });

    await sql.query(
      `UPDATE cadre_es.events SET data = '{"version":"v1","role":"trainer","title":"Forged"}' WHERE stream_id = 'framework-v1' AND revision = 1`,
    );
    const broken = await request(server)
      .get('/v1/audit/integrity?stream=framework-v1')
      .set('Authorization', auditor)
      .expect(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.findings).toEqual([expect.objectContaining({ kind: 'hash_mismatch', revision: 1 })]);
    await request(server).get('/v1/audit/integrity').set('Authorization', auditor).expect(400);
  });

  it('logs who read audit data, visible to admins only', async () => {
    const log = await request(server).get('/v1/audit/access-log').set('Authorization', admin).expect(200);
    expect(log.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorSub: 'audrey',
          subject: 'stream-history',
          path: '/v1/audit/streams/framework-v1/events',
        }),
        expect.objectContaining({ actorSub: 'audrey', subject: 'integrity' }),
      ]),
    );
    await request(server).get('/v1/audit/access-log').set('Authorization', auditor).expect(403);

    const manager = `Bearer ${await subject.token({ sub: 'mira', roles: ['manager'], jurisdictions: ['AL'] })}`;
    await request(server).get('/v1/staff?jurisdiction=AL').set('Authorization', manager).expect(200);
    const after = await request(server)
      .get('/v1/audit/access-log?actor=mira')
      .set('Authorization', admin)
      .expect(200);
    expect(after.body.entries).toEqual([
      expect.objectContaining({
        subject: 'staff-directory',
        path: '/v1/staff',
        parameters: ['jurisdiction'],
      }),
    ]);
    // A search term names a person: the access log keeps which parameters were used, never values.
    await request(server).get('/v1/staff?q=Zuzana&jurisdiction=AL').set('Authorization', manager).expect(200);
    const searched = await request(server)
      .get('/v1/audit/access-log?actor=mira')
      .set('Authorization', admin)
      .expect(200);
    expect(searched.body.entries[0]).toMatchObject({ parameters: ['jurisdiction', 'q'] });
    expect(JSON.stringify(searched.body)).not.toContain('Zuzana');
    const pool = subject.app.get<pg.Pool>(READ_MODEL_POOL);
    const { rows } = await pool.query<{ row: string }>(
      `SELECT row_to_json(a)::text AS row FROM cadre_audit.access_log a`,
    );
    expect(rows.map((r) => r.row).join('\n')).not.toContain('Zuzana');
  });

  it('scrubs the values out of access-log rows written before values were dropped', async () => {
    const pool = subject.app.get<pg.Pool>(READ_MODEL_POOL);
    await pool.query(
      `INSERT INTO cadre_audit.access_log (actor_sub, actor_roles, subject, method, path, query, correlation_id)
       VALUES ('old', '{manager}', 'staff-directory', 'GET', '/v1/staff', '{"q":"Vesna","jurisdiction":"ME"}', 'c-old')`,
    );
    // A process of this version makes the table ready once: the legacy row keeps its names only.
    const entries = await new AccessLog(pool).list({ actor: 'old', limit: 10 });
    expect(entries).toEqual([expect.objectContaining({ parameters: ['jurisdiction', 'q'] })]);
    const { rows } = await pool.query<{ row: string }>(
      `SELECT row_to_json(a)::text AS row FROM cadre_audit.access_log a WHERE actor_sub = 'old'`,
    );
    expect(rows[0]!.row).not.toContain('Vesna');
  });

  it("keeps an auditor of one jurisdiction out of another jurisdiction's records", async () => {
    const local = `Bearer ${await subject.token({ sub: 'al-auditor', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const store = subject.app.get<EventStore>(EVENT_STORE);
    await store.append('staff-rs1', [
      {
        eventId: randomUUID(),
        type: 'StaffMemberTransferred',
        data: { staffId: 'rs1', jurisdiction: 'RS', institution: 'Belgrade' },
        metadata: {
          correlationId: 'c',
          causationId: null,
          actor: null,
          occurredAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);
    const refused = await request(server)
      .get('/v1/audit/streams/staff-rs1/events')
      .set('Authorization', local)
      .expect(403);
    expect(refused.body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    await request(server).get('/v1/audit/streams/staff-rs1/events').set('Authorization', auditor).expect(200);
  });

  it('answers an auditor of one jurisdiction on the integrity of another’s stream as on a stream that does not exist', async () => {
    const local = `Bearer ${await subject.token({ sub: 'al-auditor', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const staffId = randomUUID();
    const event = (data: object) => ({
      eventId: randomUUID(),
      type: 'StaffMemberTransferred',
      data: { staffId, ...data },
      metadata: {
        correlationId: 'c',
        causationId: null,
        actor: null,
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
      },
    });
    await store.append(`staff-${staffId}`, [
      event({ jurisdiction: 'RS', institution: 'Belgrade' }),
      event({ jurisdiction: 'RS', institution: 'Niš' }),
    ]);
    // Signed: a checkpoint that knows the stream must not give it away either.
    await request(server).post('/v1/audit/integrity/checkpoints').set('Authorization', admin).expect(201);
    const integrity = (stream: string, token: string) =>
      request(server).get(`/v1/audit/integrity?stream=${stream}`).set('Authorization', token).expect(200);

    const outside = await integrity(`staff-${staffId}`, local);
    const missing = await integrity(`staff-${randomUUID()}`, local);
    expect(outside.body).toEqual(missing.body);
    expect(outside.body).toMatchObject({ ok: true, eventsChecked: 0, findings: [] });
    expect(JSON.stringify(outside.body)).not.toContain(staffId);
    const regional = await integrity(`staff-${staffId}`, auditor);
    expect(regional.body).toMatchObject({ ok: true, eventsChecked: 2, findings: [] });
  });
});

async function poll(
  send: () => PromiseLike<request.Response>,
  status: number,
  timeoutMs = 10_000,
): Promise<request.Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await send();
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('read-your-writes', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let coordinator: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator', 'auditor'], jurisdictions: ['*'] })}`;
  });
  afterAll(async () => subject?.close());

  it('waits for the read models to reach the position a command returned', async () => {
    const written = await request(server)
      .post('/v1/frameworks')
      .set('Authorization', coordinator)
      .set('x-correlation-id', 'ryw-1')
      .send({ version: 'v7', title: 'Sample' })
      .expect(201);
    const res = await request(server)
      .get(`/v1/audit/correlations/ryw-1?minPosition=${encodeURIComponent(written.body.position)}`)
      .set('Authorization', coordinator)
      .expect(200);
    expect(res.body.events).toHaveLength(1);
    await request(server)
      .get(`/v1/audit/streams/framework-v7/events?minPosition=${encodeURIComponent(written.body.position)}`)
      .set('Authorization', coordinator)
      .expect(200);
  });

  it('answers 400 for a malformed position and 503 with Retry-After when a projection is not there within 5 s', async () => {
    const bad = await request(server)
      .get('/v1/audit/correlations/ryw-1?minPosition=soon')
      .set('Authorization', coordinator)
      .expect(400);
    expect(bad.body.code).toBe('REQUEST.INVALID_MIN_POSITION');

    const history = subject.app
      .get(ProjectionWorker)
      .runners.find((runner) => runner.projection.name === 'history');
    await history?.stop();
    const written = await request(server)
      .post('/v1/frameworks')
      .set('Authorization', coordinator)
      .set('x-correlation-id', 'ryw-2')
      .send({ version: 'v8', title: 'Sample' })
      .expect(201);
    const started = Date.now();
    const late = await request(server)
      .get(`/v1/audit/correlations/ryw-2?minPosition=${encodeURIComponent(written.body.position)}`)
      .set('Authorization', coordinator)
      .expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    expect(late.headers['retry-after']).toBeDefined();
    expect(late.body).toMatchObject({ code: 'READ_MODEL.NOT_YET_AT_POSITION', projections: ['history'] });

    history?.start();
    await request(server)
      .get(`/v1/audit/correlations/ryw-2?minPosition=${encodeURIComponent(written.body.position)}`)
      .set('Authorization', coordinator)
      .expect(200);
  }, 20_000);
});

describe('projection lag in readiness', () => {
  it("reports each projection's lag in /health/ready details without making the api unready", async () => {
    const subject = await startPlatformTestApp();
    try {
      // Nothing is reported until the runner has read its checkpoint (a restart is not "the whole log").
      const worker = subject.app.get(ProjectionWorker);
      const known = async () =>
        (await worker.measure()).find((lag) => lag.name === 'history')?.lagEvents !== null;
      for (let i = 0; i < 100 && !(await known()); i += 1) await new Promise((r) => setTimeout(r, 100));
      const res = await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body.details.projections).toMatchObject({
        status: 'up',
        lag: expect.arrayContaining([
          expect.objectContaining({
            name: 'history',
            lagEvents: expect.any(Number),
            lagSeconds: expect.any(Number),
          }),
        ]),
      });
      const metrics = await request(subject.app.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/cadre_projection_lag_seconds\{projection="history"\} \d/);
    } finally {
      await subject.close();
    }
  });
});
