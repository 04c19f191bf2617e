import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { programmeStream } from '@cadre/domain';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

describe('training programmes over HTTP', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let coordinator: string;
  let regional: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    regional = `Bearer ${await subject.token({ sub: 'regional', roles: ['training-coordinator'], jurisdictions: ['*'] })}`;
    // v1 defines dynamic-security up to expert; v2, published after it, no longer defines its
    // expert level: v2 is the latest published version, what programmes are checked against.
    await publish('v1', {
      'radicalisation-awareness': ['awareness'],
      'dynamic-security': ['awareness', 'expert'],
    });
    await publish('v2', {
      'radicalisation-awareness': ['awareness', 'trainer'],
      'dynamic-security': ['awareness', 'specialised'],
    });
  });
  afterAll(async () => subject?.close());

  const define = (body: object = programme, token = coordinator) =>
    request(server).post('/v1/programmes').set('Authorization', token).send(body);

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
    expect(read.body).toMatchObject({
      status: 'defined',
      programmeId: defined.body.id,
      ...programme,
      scope: 'AL',
      frameworkVersion: 'v2',
    });
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

  describe('scope and framework (issue 12 item 11)', () => {
    const revise = (id: string, token: string, body: object = { hours: 12 }) =>
      request(server).post(`/v1/programmes/${id}/revise`).set('Authorization', token).send(body);
    const retire = (id: string, token: string) =>
      request(server).post(`/v1/programmes/${id}/retire`).set('Authorization', token).send({});
    const stored = async (id: string) => fixtures.store.readStream(programmeStream(id), { stored: true });

    it('an AL coordinator can neither revise nor retire a regional programme (403, nothing written)', async () => {
      const { body } = await define(programme, regional).expect(201);
      const head = await fixtures.head();
      const revised = await revise(body.id, coordinator).expect(403);
      expect(revised.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(revised.body).toMatchObject({ code: 'PROGRAMME.OUTSIDE_SCOPE', scope: '*' });
      expect(revised.body.detail).toMatch(/region/);
      expect((await retire(body.id, coordinator).expect(403)).body.code).toBe('PROGRAMME.OUTSIDE_SCOPE');
      expect(await fixtures.head()).toBe(head);
      const read = await request(server).get(`/v1/programmes/${body.id}`).set('Authorization', coordinator);
      expect(read.body).toMatchObject({ status: 'defined', scope: '*', hours: programme.hours });
    });

    it('a regional coordinator revises and retires a regional programme', async () => {
      const { body } = await define(programme, regional).expect(201);
      await revise(body.id, regional).expect(200);
      await retire(body.id, regional).expect(200);
      const read = await request(server).get(`/v1/programmes/${body.id}`).set('Authorization', regional);
      expect(read.body).toMatchObject({ status: 'retired', scope: '*', hours: 12 });
    });

    it('an AL coordinator revises and retires an AL programme; another jurisdiction’s cannot', async () => {
      const { body } = await define().expect(201);
      const serbia = `Bearer ${await subject.token({ sub: 'rs', roles: ['training-coordinator'], jurisdictions: ['RS'] })}`;
      expect((await revise(body.id, serbia).expect(403)).body.code).toBe('PROGRAMME.OUTSIDE_SCOPE');
      await revise(body.id, coordinator).expect(200);
      await retire(body.id, coordinator).expect(200);
      const read = await request(server).get(`/v1/programmes/${body.id}`).set('Authorization', coordinator);
      expect(read.body).toMatchObject({ status: 'retired', scope: 'AL', hours: 12 });
    });

    it('refuses a competency or a level the latest published framework does not define (422, each named)', async () => {
      const head = await fixtures.head();
      const refused = await define({
        ...programme,
        competencies: [
          { competency: 'dynamic-security', level: 'expert' },
          { competency: 'radicalisation-awareness', level: 'awareness' },
          { competency: 'cooking', level: 'awareness' },
        ],
      }).expect(422);
      expect(refused.body).toMatchObject({
        code: 'PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK',
        frameworkVersion: 'v2',
        competencies: [
          { competency: 'dynamic-security', level: 'expert' },
          { competency: 'cooking', level: 'awareness' },
        ],
      });
      expect(refused.body.detail).toContain('dynamic-security at level expert');
      expect(await fixtures.head()).toBe(head);

      const { body } = await define().expect(201);
      const revision = await revise(body.id, coordinator, {
        competencies: [{ competency: 'dynamic-security', level: 'expert' }],
      }).expect(422);
      expect(revision.body.code).toBe('PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK');
    });

    it('records the scope and the framework version checked on the events', async () => {
      const { body } = await define().expect(201);
      await revise(body.id, coordinator).expect(200);
      const [defined, revised] = await stored(body.id);
      expect(defined).toMatchObject({
        type: 'ProgrammeDefined',
        data: { scope: 'AL', frameworkVersion: 'v2' },
        metadata: { schemaVersion: 2 },
      });
      expect(revised).toMatchObject({
        type: 'ProgrammeRevised',
        data: { frameworkVersion: 'v2', hours: 12 },
        metadata: { schemaVersion: 2 },
      });
    });

    it('scopes programmes defined before scopes were recorded by their definer, regional when unknown', async () => {
      const legacy = async (jurisdictions: string[] | null): Promise<string> => {
        const programmeId = randomUUID();
        await fixtures.store.append(
          programmeStream(programmeId),
          [
            {
              eventId: randomUUID(),
              type: 'ProgrammeDefined',
              data: { programmeId, ...programme },
              metadata: {
                correlationId: randomUUID(),
                causationId: null,
                actor: jurisdictions && { sub: 'old', roles: ['training-coordinator'], jurisdictions },
                occurredAt: new Date().toISOString(),
                schemaVersion: 1,
              },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
        return programmeId;
      };
      const albanian = await legacy(['AL']);
      const regionalOne = await legacy(['*']);
      const unknown = await legacy(null);
      await revise(albanian, coordinator).expect(200);
      expect((await revise(regionalOne, coordinator).expect(403)).body.code).toBe('PROGRAMME.OUTSIDE_SCOPE');
      expect((await retire(unknown, coordinator).expect(403)).body.code).toBe('PROGRAMME.OUTSIDE_SCOPE');
      await retire(unknown, regional).expect(200);
    });
  });

  async function publish(version: string, competencies: Record<string, string[]>): Promise<void> {
    const post = (path: string, body: object) =>
      request(server)
        .post(path)
        .set('Authorization', regional)
        .send(body)
        .expect((res) => {
          if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
        });
    await post('/v1/frameworks', { version, title: `Sample ${version}` });
    await post(`/v1/frameworks/${version}/roles`, { role: 'trainer', title: 'Trainer' });
    for (const [competency, levels] of Object.entries(competencies)) {
      const policy = { validityMonths: 24, recertificationWindowDays: 60 };
      await post(`/v1/frameworks/${version}/competencies`, {
        competency,
        title: competency,
        levels: Object.fromEntries(levels.map((level) => [level, policy])),
      });
    }
    await post(`/v1/frameworks/${version}/publish`, {});
  }
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const programme = {
  title: 'Radicalisation awareness for front-line staff',
  competencies: [{ competency: 'radicalisation-awareness', level: 'awareness' }],
  kind: 'awareness',
  hours: 16,
  methodology: 'Blended: e-learning, then a two-day workshop',
};
