import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from './team-audit.fixtures.js';

describe('GET /v1/audit/trainers', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditor: string;
  let trainerAL: string;
  let trainerRS: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    trainerAL = await fixtures.trainer('AL');
    trainerRS = await fixtures.trainer('RS');
    const officer = await fixtures.staff();
    await fixtures.certify(officer, 'dynamic-security', 'specialised');
    const regional = `Bearer ${await subject.token({ roles: ['auditor'], jurisdictions: ['*'] })}`;
    await eventually(server, '/v1/audit/trainers', regional, (b) => b.items?.length === 2);
  });
  afterAll(async () => subject?.close());

  const get = (query: string, authorization = auditor) =>
    request(server).get(`/v1/audit/trainers${query}`).set('Authorization', authorization);

  it("lists the caller's trainers with their trainer-level accreditations", async () => {
    const { body } = await get('').expect(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      staffId: trainerAL,
      jurisdiction: 'AL',
      agency: 'prison',
      sessions: [],
      sessionsDelivered: 0,
    });
    expect(
      body.items[0].accreditations.map(
        (a: { competency: string; status: string }) => `${a.competency}:${a.status}`,
      ),
    ).toEqual([
      'dynamic-security:valid',
      'multi-agency-working:valid',
      'radicalisation-awareness:valid',
      'vep-risk-assessment:valid',
    ]);
  });

  it('filters by competency and answers a past asOf with nobody', async () => {
    const { body } = await get('?competency=dynamic-security').expect(200);
    expect(body.items[0].accreditations).toHaveLength(4);
    expect((await get('?competency=nothing').expect(200)).body.items).toEqual([]);
    expect((await get('?asOf=2021-01-01').expect(200)).body.items).toEqual([]);
  });

  it('enforces jurisdictions, validates parameters and exports CSV', async () => {
    expect((await get('?jurisdiction=RS').expect(403)).body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    expect((await get('?knownAt=soon').expect(400)).body.parameter).toBe('knownAt');
    const regional = `Bearer ${await subject.token({ roles: ['admin'], jurisdictions: ['*'] })}`;
    const first = await get('?limit=1', regional).expect(200);
    const second = await get(`?limit=1&cursor=${first.body.nextCursor}`, regional).expect(200);
    expect([first.body.items[0].staffId, second.body.items[0].staffId].sort()).toEqual(
      [trainerAL, trainerRS].sort(),
    );
    expect(second.body.nextCursor).toBeNull();
    const csv = await get('', regional).set('Accept', 'text/csv').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'staffId,name,agency,jurisdiction,institution,accreditations (competency:status:validUntil UTC),sessionsDelivered,deliveredSessionIds',
    );
    expect(lines).toHaveLength(3);
  });
});
