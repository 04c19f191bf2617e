import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

describe('jurisdictions over HTTP: adoptions and additional requirements', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let regional: string;
  let albania: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    regional = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['*'] })}`;
    albania = `Bearer ${await subject.token({ sub: 'al-coord', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    const post = (path: string, body: object) =>
      request(server).post(path).set('Authorization', regional).send(body);
    await post('/v1/frameworks', { version: 'v1', title: 'Sample framework' }).expect(201);
    await post('/v1/frameworks/v1/roles', { role: 'probation-officer', title: 'Probation officer' }).expect(
      200,
    );
    await post('/v1/frameworks/v1/competencies', {
      competency: 'dynamic-security',
      title: 'Dynamic security',
      levels: {
        awareness: { validityMonths: 24, recertificationWindowDays: 60 },
        expert: { validityMonths: 36, recertificationWindowDays: 90 },
      },
    }).expect(200);
    await post('/v1/frameworks/v1/requirements', {
      role: 'probation-officer',
      competency: 'dynamic-security',
      minLevel: 'awareness',
    }).expect(200);
  });
  afterAll(async () => subject?.close());

  it('refuses to adopt a draft, then adopts the published version from a date (201, then 200)', async () => {
    const draft = await request(server)
      .post('/v1/jurisdictions/AL/framework-adoptions')
      .set('Authorization', albania)
      .send({ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(draft.body.code).toBe('FRAMEWORK.NOT_PUBLISHED');
    await request(server)
      .post('/v1/frameworks/v1/publish')
      .set('Authorization', regional)
      .send({})
      .expect(200);

    const adopted = await request(server)
      .post('/v1/jurisdictions/AL/framework-adoptions')
      .set('Authorization', albania)
      .send({ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' })
      .expect(201);
    expect(adopted.body).toMatchObject({ id: 'AL', revision: 0 });
    const added = await request(server)
      .post('/v1/jurisdictions/AL/requirements')
      .set('Authorization', albania)
      .send({
        role: 'probation-officer',
        competency: 'dynamic-security',
        minLevel: 'expert',
      })
      .expect(200);
    expect(added.body.revision).toBe(1);

    const read = await request(server).get('/v1/jurisdictions/AL').set('Authorization', albania).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      adoptions: [{ version: 'v1', effectiveFrom: '2026-01-01T00:00:00.000Z' }],
      additions: [
        expect.objectContaining({
          role: 'probation-officer',
          competency: 'dynamic-security',
          minLevel: 'expert',
        }),
      ],
    });
  });

  it('never lowers a requirement, and keeps coordinators to their own jurisdiction', async () => {
    const lower = await request(server)
      .post('/v1/jurisdictions/AL/requirements')
      .set('Authorization', albania)
      .send({ role: 'probation-officer', competency: 'dynamic-security', minLevel: 'awareness' })
      .expect(422);
    expect(lower.body.code).toBe('JURISDICTION.REQUIREMENT_NOT_STRICTER');
    const outside = await request(server)
      .post('/v1/jurisdictions/RS/framework-adoptions')
      .set('Authorization', albania)
      .send({ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' })
      .expect(403);
    expect(outside.body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    await request(server).get('/v1/jurisdictions/RS').set('Authorization', regional).expect(404);
    await request(server)
      .post('/v1/jurisdictions/AL/requirements')
      .set('Authorization', albania)
      .send({ role: 'probation-officer', competency: 'dynamic-security', minLevel: 'grandmaster' })
      .expect(400);
  });

  it('Issue 10 case 9: adopting a version published before the one in force needs a reason, kept on the event', async () => {
    const post = (path: string, body: object, token = regional) =>
      request(server).post(path).set('Authorization', token).send(body);
    await post('/v1/frameworks', { version: 'v2', title: 'Sample framework, second version' }).expect(201);
    await post('/v1/frameworks/v2/roles', { role: 'probation-officer', title: 'Probation officer' }).expect(
      200,
    );
    await post('/v1/frameworks/v2/competencies', {
      competency: 'dynamic-security',
      title: 'Dynamic security',
      levels: { expert: { validityMonths: 36, recertificationWindowDays: 90 } },
    }).expect(200);
    await post('/v1/frameworks/v2/publish', {}).expect(200);
    await post('/v1/jurisdictions/ME/framework-adoptions', {
      version: 'v2',
      effectiveFrom: '2026-01-01T00:00:00Z',
    }).expect(201);

    const older = { version: 'v1', effectiveFrom: '2026-06-01T00:00:00Z' };
    const refused = await post('/v1/jurisdictions/ME/framework-adoptions', older).expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'JURISDICTION.OLDER_VERSION_WITHOUT_REASON',
      jurisdiction: 'ME',
      version: 'v1',
      inForce: 'v2',
    });
    expect(refused.body.detail).toContain('published before v2');
    expect(await eventsOf('jurisdiction-ME')).toHaveLength(1);

    const reason = 'v2 is not yet translated; v1 stays in force until it is';
    await post('/v1/jurisdictions/ME/framework-adoptions', { ...older, reason }).expect(200);
    const [, adopted] = await eventsOf('jurisdiction-ME');
    expect(adopted).toMatchObject({
      type: 'FrameworkAdopted',
      data: { version: 'v1' },
      metadata: { reason },
    });
    // A newer version than the one in force needs none.
    await post('/v1/jurisdictions/ME/framework-adoptions', {
      version: 'v2',
      effectiveFrom: '2027-01-01T00:00:00Z',
    }).expect(200);
  });

  it('Issue 10 case 9: a requirement effective more than 24 h in the past needs a reason, kept on the event', async () => {
    const requirement = {
      role: 'probation-officer',
      competency: 'dynamic-security',
      minLevel: 'expert',
      effectiveFrom: '2021-01-01T00:00:00Z',
    };
    const before = await eventsOf('jurisdiction-RS');
    expect(before).toHaveLength(0);
    await request(server)
      .post('/v1/jurisdictions/RS/framework-adoptions')
      .set('Authorization', regional)
      .send({ version: 'v1', effectiveFrom: '2020-01-01T00:00:00Z' })
      .expect(201);
    const refused = await request(server)
      .post('/v1/jurisdictions/RS/requirements')
      .set('Authorization', regional)
      .send(requirement)
      .expect(400);
    expect(refused.body).toMatchObject({
      code: 'JURISDICTION.BACKDATED_REQUIREMENT_WITHOUT_REASON',
      jurisdiction: 'RS',
      effectiveFrom: '2021-01-01T00:00:00.000Z',
    });
    expect(await eventsOf('jurisdiction-RS')).toHaveLength(1);

    const reason = 'Recording the 2021 ministerial order that was never entered';
    await request(server)
      .post('/v1/jurisdictions/RS/requirements')
      .set('Authorization', regional)
      .send({ ...requirement, reason })
      .expect(200);
    const [, added] = await eventsOf('jurisdiction-RS');
    expect(added).toMatchObject({
      type: 'JurisdictionRequirementAdded',
      data: { effectiveFrom: '2021-01-01T00:00:00.000Z' },
      metadata: { reason },
    });
  });

  const eventsOf = (stream: string) => subject.app.get<EventStore>(EVENT_STORE).readStream(stream);

  it('answers a caller outside a jurisdiction alike whether or not it exists (403, before reading)', async () => {
    await request(server)
      .post('/v1/jurisdictions/MK/framework-adoptions')
      .set('Authorization', regional)
      .send({ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' })
      .expect(201);
    await request(server).get('/v1/jurisdictions/MK').set('Authorization', regional).expect(200);
    await request(server).get('/v1/jurisdictions/AL').set('Authorization', albania).expect(200);

    const existing = await request(server)
      .get('/v1/jurisdictions/MK')
      .set('Authorization', albania)
      .expect(403);
    const unknown = await request(server)
      .get('/v1/jurisdictions/BA')
      .set('Authorization', albania)
      .expect(403);
    expect(existing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(existing.body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    expect(unknown.body.code).toBe(existing.body.code);
    expect(existing.body.detail.replace('MK', 'BA')).toBe(unknown.body.detail);
    expect(existing.headers.etag).toBeUndefined();
    expect(existing.body).not.toHaveProperty('adoptions');
    expect(existing.body).not.toHaveProperty('revision');
  });
});
