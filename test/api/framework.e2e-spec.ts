import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

describe('framework commands over HTTP', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let coordinator: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['*'] })}`;
  });
  afterAll(async () => subject?.close());

  it('drafts with 201, then changes with 200, with ETag = revision and the position written', async () => {
    const drafted = await request(server)
      .post('/v1/frameworks')
      .set('Authorization', coordinator)
      .send({ version: 'v1', title: 'Sample framework' })
      .expect(201);
    expect(drafted.body).toEqual({ id: 'v1', revision: 0, position: expect.any(String) });
    expect(drafted.headers.etag).toBe('"0"');

    const role = await request(server)
      .post('/v1/frameworks/v1/roles')
      .set('Authorization', coordinator)
      .send({ role: 'probation-officer', title: 'Probation officer' })
      .expect(200);
    expect(role.body).toMatchObject({ id: 'v1', revision: 1 });

    const read = await request(server).get('/v1/frameworks/v1').set('Authorization', coordinator).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      status: 'draft',
      roles: { 'probation-officer': { title: 'Probation officer' } },
    });
  });

  it('refuses a stale If-Match with 412 and a malformed one with 400', async () => {
    const stale = await request(server)
      .post('/v1/frameworks/v1/roles')
      .set('Authorization', coordinator)
      .set('If-Match', '"0"')
      .send({ role: 'trainer', title: 'Trainer' })
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'COMMAND.REVISION_MISMATCH', status: 412 });
    await request(server)
      .post('/v1/frameworks/v1/roles')
      .set('Authorization', coordinator)
      .set('If-Match', 'yesterday')
      .send({ role: 'trainer', title: 'Trainer' })
      .expect(400);
  });

  it('replays an Idempotency-Key with the first response and refuses it with another body', async () => {
    const send = (body: object) =>
      request(server)
        .post('/v1/frameworks/v1/roles')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', 'k-1')
        .send(body);
    const first = await send({ role: 'psychologist', title: 'Psychologist' }).expect(200);
    const again = await send({ role: 'psychologist', title: 'Psychologist' }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotency-replayed']).toBe('true');
    const other = await send({ role: 'educator', title: 'Educator' }).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');

    const read = await request(server).get('/v1/frameworks/v1').set('Authorization', coordinator).expect(200);
    expect(Object.keys(read.body.roles)).toEqual(['probation-officer', 'psychologist']);
  });

  it('answers 404, 403 and 400 as problem documents and writes nothing', async () => {
    await request(server).get('/v1/frameworks/v9').set('Authorization', coordinator).expect(404);
    const manager = `Bearer ${await subject.token({ roles: ['manager'], jurisdictions: ['AL'] })}`;
    await request(server)
      .post('/v1/frameworks')
      .set('Authorization', manager)
      .send({ version: 'v2', title: 'x' })
      .expect(403);
    const local = `Bearer ${await subject.token({ roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    const refused = await request(server)
      .post('/v1/frameworks')
      .set('Authorization', local)
      .send({ version: 'v2', title: 'x' })
      .expect(403);
    expect(refused.body.code).toBe('ACTOR.REGIONAL_ONLY');
    const invalid = await request(server)
      .post('/v1/frameworks/v1/competencies')
      .set('Authorization', coordinator)
      .send({ competency: 'Bad Code', title: 'x', levels: { expert: { validityMonths: 'soon' } }, extra: 1 })
      .expect(400);
    expect(invalid.body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(invalid.body.violations.map((v: { field: string }) => v.field)).toEqual(
      expect.arrayContaining(['competency', 'extra', 'levels.expert.validityMonths']),
    );
    await request(server).get('/v1/frameworks/v2').set('Authorization', coordinator).expect(404);
  });

  it('retires only a published version: a draft is 409 FRAMEWORK.NOT_PUBLISHED, an unknown one 404', async () => {
    const draft = await request(server)
      .post('/v1/frameworks/v1/retire')
      .set('Authorization', coordinator)
      .send({ reason: 'superseded' })
      .expect(409);
    expect(draft.body.code).toBe('FRAMEWORK.NOT_PUBLISHED');
    const unknown = await request(server)
      .post('/v1/frameworks/v9/retire')
      .set('Authorization', coordinator)
      .send({})
      .expect(404);
    expect(unknown.body.code).toBe('FRAMEWORK.NOT_FOUND');
  });
});
