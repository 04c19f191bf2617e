import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { READ_MODELS, READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { backdatedStaffCommand, eventually } from './team-audit.fixtures.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

interface Item {
  institution: string;
  role: string;
  competency: string;
  level: string;
  headcount: number;
  meeting: number;
  share: number;
}

describe('GET /v1/audit/coverage', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditor: string;
  let fixtures: CadreFixtures;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
  });
  afterAll(async () => subject?.close());

  const officers = (items: Item[], institution = 'Probation office Tirana') =>
    items.find(
      (i) =>
        i.institution === institution &&
        i.role === 'probation-officer' &&
        i.competency === 'radicalisation-awareness',
    );

  it('gives the share of headcount meeting each requirement in force, by placement and requirement', async () => {
    const meets = await fixtures.staff();
    await fixtures.certify(meets, 'radicalisation-awareness', 'expert');
    const below = await fixtures.staff();
    await fixtures.certify(below, 'radicalisation-awareness', 'awareness');
    await fixtures.staff();
    const psychologist = await fixtures.staff({
      role: 'psychologist',
      institution: 'Prison Fushë-Krujë',
      agency: 'prison',
    });
    await fixtures.certify(psychologist, 'vep-risk-assessment', 'specialised');
    await fixtures.staff({ jurisdiction: 'RS', institution: 'Belgrade probation' });

    const { body } = await eventually(
      server,
      '/v1/audit/coverage',
      auditor,
      (b) =>
        (b.items as Item[] | undefined)?.some((i) => i.role === 'psychologist' && i.meeting === 1) ?? false,
    );
    expect(officers(body.items)).toMatchObject({
      level: 'specialised',
      headcount: 3,
      meeting: 1,
      share: 0.3333,
    });
    const psychologists = (body.items as Item[]).filter((i) => i.role === 'psychologist');
    expect(psychologists).toEqual([
      expect.objectContaining({
        competency: 'radicalisation-awareness',
        level: 'awareness',
        headcount: 1,
        meeting: 0,
      }),
      expect.objectContaining({
        competency: 'vep-risk-assessment',
        level: 'specialised',
        headcount: 1,
        meeting: 1,
      }),
    ]);
    expect(body.items.every((i: { jurisdiction: string }) => i.jurisdiction === 'AL')).toBe(true);

    const filtered = await request(server)
      .get('/v1/audit/coverage?agency=prison&competency=vep-risk-assessment')
      .set('Authorization', auditor)
      .expect(200);
    expect(filtered.body.items).toHaveLength(1);
    const page = await request(server)
      .get('/v1/audit/coverage?limit=1')
      .set('Authorization', auditor)
      .expect(200);
    const next = await request(server)
      .get(`/v1/audit/coverage?limit=1&cursor=${page.body.nextCursor}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(next.body.items[0]).not.toEqual(page.body.items[0]);
    const csv = await request(server)
      .get('/v1/audit/coverage')
      .set('Authorization', auditor)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'asOf (UTC),knownAt (UTC),jurisdiction,institution,agency,role,requirementRole,competency,level,frameworkVersion,headcount,meeting,share',
    );
  });

  it('queries the read models with JIT off (a compiled plan costs more than the indexed query)', async () => {
    const readModels = subject.app.get<DataSource>(READ_MODELS);
    expect(await readModels.query('SHOW jit')).toEqual([{ jit: 'off' }]);
    const pool = subject.app.get<pg.Pool>(READ_MODEL_POOL);
    expect((await pool.query('SHOW jit')).rows).toEqual([{ jit: 'off' }]);
  });

  it('answers empty before any data, refuses malformed times (400) and other jurisdictions (403)', async () => {
    const before = await request(server)
      .get('/v1/audit/coverage?asOf=2019-06-30')
      .set('Authorization', auditor)
      .expect(200);
    expect(before.body.items).toEqual([]);
    const bad = await request(server)
      .get('/v1/audit/coverage?knownAt=31.12.2024')
      .set('Authorization', auditor)
      .expect(400);
    expect(bad.body.detail).toContain('knownAt');
    await request(server).get('/v1/audit/coverage?cursor=eyJ4Ijoy').set('Authorization', auditor).expect(400);
    await request(server).get('/v1/audit/coverage?jurisdiction=RS').set('Authorization', auditor).expect(403);
  });

  it('a back-dated record changes the answer for its date only, and only from its knownAt on', async () => {
    const staffId = randomUUID();
    await backdatedStaffCommand(
      subject,
      {
        type: 'RegisterStaffMember',
        data: {
          staffId,
          agency: 'probation',
          jurisdiction: 'AL',
          institution: 'Probation office Durrës',
          role: 'probation-officer',
          personalData: { ciphertext: 'x', keyId: 'fixture', iv: 'x', tag: 'x' },
        },
      },
      daysAgo(60),
    );
    const durres = (body: { items: Item[] }) => officers(body.items, 'Probation office Durrës');
    await eventually(server, `/v1/audit/coverage?asOf=${daysAgo(20)}`, auditor, (b) => !!durres(b as never));
    const beforeTransfer = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await backdatedStaffCommand(
      subject,
      { type: 'TransferStaffMember', data: { staffId, institution: 'Probation office Shkodër' } },
      daysAgo(10),
    );
    const shkoder = (body: { items: Item[] }) => officers(body.items, 'Probation office Shkodër');
    const after = await eventually(
      server,
      `/v1/audit/coverage?asOf=${daysAgo(5)}`,
      auditor,
      (b) => !!shkoder(b as never),
    );
    expect(durres(after.body)).toBeUndefined();
    expect(shkoder(after.body)).toMatchObject({ headcount: 1, meeting: 0 });

    const knownBefore = await request(server)
      .get(`/v1/audit/coverage?asOf=${daysAgo(5)}&knownAt=${beforeTransfer}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(durres(knownBefore.body)).toMatchObject({ headcount: 1 });
    expect(shkoder(knownBefore.body)).toBeUndefined();

    const earlier = await request(server)
      .get(`/v1/audit/coverage?asOf=${daysAgo(20)}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(durres(earlier.body)).toMatchObject({ headcount: 1 });
    expect(shkoder(earlier.body)).toBeUndefined();
  });
});
