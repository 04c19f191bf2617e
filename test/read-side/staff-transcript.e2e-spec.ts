import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from './team-audit.fixtures.js';

describe('GET /v1/audit/staff/{id}/transcript', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditorAL: string;
  let staffId: string;
  let certificationId: string;
  const validFrom = '2024-05-01T00:00:00.000Z';

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditorAL = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    staffId = await fixtures.staff();
    certificationId = await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised', validFrom);
    await eventually(
      server,
      `/v1/audit/staff/${staffId}/transcript`,
      auditorAL,
      (b) => b.items?.length === 1,
    );
  });
  afterAll(async () => subject?.close());

  const get = (path: string, authorization = auditorAL) =>
    request(server).get(`/v1/audit/staff/${staffId}/transcript${path}`).set('Authorization', authorization);

  it('lists the certifications held at asOf, with the member as placed then', async () => {
    const { body } = await get('?asOf=2024-06-01').expect(200);
    expect(body).toMatchObject({
      staffId,
      asOf: '2024-06-01T23:59:59.999Z',
      // Registered today: in June 2024 Cadre places nobody (the certificate predates the registration).
      member: null,
      items: [
        {
          kind: 'certification',
          certificationId,
          competency: 'radicalisation-awareness',
          level: 'specialised',
          status: 'valid',
          validFrom,
          validUntil: '2026-05-01T00:00:00.000Z',
        },
      ],
      nextCursor: null,
    });
  });

  it('places the member as registered, now', async () => {
    const { body } = await get('').expect(200);
    expect(body.member).toMatchObject({
      jurisdiction: 'AL',
      agency: 'probation',
      role: 'probation-officer',
      status: 'active',
    });
  });

  it('answers an asOf before any data with an empty transcript, and a knownAt before the record too', async () => {
    const before = await get('?asOf=2019-01-01').expect(200);
    expect(before.body).toMatchObject({ member: null, items: [], nextCursor: null });
    const unknownYet = await get('?knownAt=2020-01-01').expect(200);
    expect(unknownYet.body.items).toEqual([]);
  });

  it('refuses malformed asOf / knownAt / cursor naming the parameter', async () => {
    for (const [query, parameter] of [
      ['?asOf=yesterday', 'asOf'],
      ['?knownAt=2024-13-01', 'knownAt'],
      ['?cursor=abc', 'cursor'],
    ]) {
      const { body } = await get(query!).expect(400);
      expect(body).toMatchObject({ code: 'QUERY.INVALID_PARAMETER', parameter });
    }
  });

  it('is 404 for an unknown member and 403 outside the caller jurisdictions', async () => {
    await request(server)
      .get('/v1/audit/staff/00000000-0000-4000-8000-000000000000/transcript')
      .set('Authorization', auditorAL)
      .expect(404);
    const auditorRS = `Bearer ${await subject.token({ roles: ['auditor'], jurisdictions: ['RS'] })}`;
    expect((await get('', auditorRS).expect(403)).body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    await get(
      '',
      `Bearer ${await subject.token({ roles: ['training-coordinator'], jurisdictions: ['AL'] })}`,
    ).expect(403);
  });

  it('exports CSV, times in UTC stated in the header', async () => {
    const csv = await get('').set('Accept', 'text/csv').expect(200);
    const [header, line] = csv.text.trim().split('\r\n');
    expect(header).toMatch(/^kind,date \(UTC\),certificationId,/);
    expect(line).toContain(`certification,${validFrom},${certificationId},radicalisation-awareness`);
  });
});
