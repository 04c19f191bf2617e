import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

describe('training programmes over HTTP', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let coordinator: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => subject?.close());

  const define = (body: object = programme) =>
    request(server).post('/v1/programmes').set('Authorization', coordinator).send(body);

  it('defines a programme under an id of its own choosing (201), then reads it with its ETag', async () => {
    const defined = await define().expect(201);
    expect(defined.body).toEqual({
      id: expect.stringMatching(UUID),
      revision: 0,
      position: expect.any(String),
    });
    expect(defined.headers.etag).toBe('"0"');

    const read = await request(server)
      .get(`/v1/programmes/${defined.body.id}`)
      .set('Authorization', coordinator)
      .expect(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({ status: 'defined', programmeId: defined.body.id, ...programme });
  });

  it('revises only the fields sent, then retires; a retired programme cannot be revised (409)', async () => {
    const { body } = await define().expect(201);
    const revised = await request(server)
      .post(`/v1/programmes/${body.id}/revise`)
      .set('Authorization', coordinator)
      .set('If-Match', '"0"')
      .send({ hours: 24 })
      .expect(200);
    expect(revised.body).toMatchObject({ id: body.id, revision: 1 });
    await request(server)
      .post(`/v1/programmes/${body.id}/retire`)
      .set('Authorization', coordinator)
      .send({ reason: 'Replaced by the 2027 curriculum' })
      .expect(200);
    const read = await request(server).get(`/v1/programmes/${body.id}`).set('Authorization', coordinator);
    expect(read.body).toMatchObject({ status: 'retired', hours: 24, title: programme.title });

    const head = await fixtures.head();
    const refused = await request(server)
      .post(`/v1/programmes/${body.id}/revise`)
      .set('Authorization', coordinator)
      .send({ hours: 8 })
      .expect(409);
    expect(refused.body.code).toBe('PROGRAMME.RETIRED');
    expect(await fixtures.head()).toBe(head);
  });

  it('refuses invalid bodies naming each field, unknown ids with 404, other roles with 403', async () => {
    const head = await fixtures.head();
    const invalid = await define({
      ...programme,
      competencies: [{ competency: 'Not A Code', level: 'guru' }],
      hours: 0,
      colour: 'red',
    }).expect(400);
    expect(invalid.body.violations.map((v: { field: string }) => v.field)).toEqual(
      expect.arrayContaining(['competencies.0.competency', 'competencies.0.level', 'hours', 'colour']),
    );
    const duplicate = await define({
      ...programme,
      competencies: [
        { competency: 'dynamic-security', level: 'awareness' },
        { competency: 'dynamic-security', level: 'expert' },
      ],
    }).expect(400);
    expect(duplicate.body.code).toBe('PROGRAMME.DUPLICATE_COMPETENCY');
    await request(server)
      .get(`/v1/programmes/00000000-0000-4000-8000-000000000000`)
      .set('Authorization', coordinator)
      .expect(404);
    await request(server).get('/v1/programmes/not-a-uuid').set('Authorization', coordinator).expect(404);
    await request(server)
      .post('/v1/programmes/00000000-0000-4000-8000-000000000000/retire')
      .set('Authorization', coordinator)
      .send({})
      .expect(404);
    const manager = `Bearer ${await subject.token({ roles: ['manager'], jurisdictions: ['AL'] })}`;
    await request(server).post('/v1/programmes').set('Authorization', manager).send(programme).expect(403);
    expect(await fixtures.head()).toBe(head);
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const programme = {
  title: 'Radicalisation awareness for front-line staff',
  competencies: [{ competency: 'radicalisation-awareness', level: 'awareness' }],
  kind: 'awareness',
  hours: 16,
  methodology: 'Blended: e-learning, then a two-day workshop',
};
