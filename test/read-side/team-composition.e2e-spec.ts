import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('GET /v1/audit/teams/{id}/composition', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditor: string;
  let teamId: string;
  let psychologist: string;
  let officer: string;
  let certificationId: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    const teams = TeamFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    psychologist = await fixtures.staff({ role: 'psychologist', agency: 'prison' });
    await fixtures.certify(psychologist, 'vep-risk-assessment', 'specialised', daysAgo(100));
    await fixtures.certify(psychologist, 'radicalisation-awareness', 'awareness', daysAgo(100));
    officer = await fixtures.staff();
    certificationId = await fixtures.certify(
      officer,
      'radicalisation-awareness',
      'specialised',
      daysAgo(100),
    );
    teamId = await teams.form(manager('m1'), { kind: 'joint', roles: ['psychologist', 'probation-officer'] });
    const backdated = (days: number) => ({ occurredAt: daysAgo(days), reason: 'Paper records' });
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId: psychologist, teamRole: 'psychologist' },
    });
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId: officer, teamRole: 'probation-officer' },
    });
    // Revoked after the assignment, back-dated by half a day (before the assignment): the officer
    // has served unqualified since the assignment, not since the revocation.
    await fixtures.revoke(officer, certificationId, backdated(0.5));
  });
  afterAll(async () => subject?.close());

  it('shows the disciplines present, the members, and who is unqualified since when', async () => {
    const path = `/v1/audit/teams/${teamId}/composition`;
    const { body } = await eventually(
      server,
      path,
      auditor,
      (b) => (b.unqualified as unknown[] | undefined)?.length === 1 && (b.members as unknown[]).length === 2,
    );
    expect(body.team).toMatchObject({ jurisdiction: 'AL', kind: 'joint', status: 'forming' });
    expect(body.disciplines).toEqual([
      { role: 'psychologist', required: 1, present: 1, met: true },
      { role: 'probation-officer', required: 1, present: 1, met: true },
    ]);
    expect(body.agencies).toEqual(['prison', 'probation']);
    expect(body.members).toHaveLength(2);
    expect(body.unqualified).toEqual([
      expect.objectContaining({ staffId: officer, certificationId, cause: 'revoked', to: null }),
    ]);
    expect(body.unqualified[0].days).toBeLessThan(0.01);
    const csv = await request(server)
      .get(path)
      .set('Authorization', auditor)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('kind,staffId,detail,from (UTC),to (UTC),days');
  });

  it('a release ends the lapse: "for how long" is kept, and the past answers stay as they were', async () => {
    const beforeRelease = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await TeamFixtures.of(subject).send(manager('m1'), {
      type: 'ReleaseMember',
      data: { teamId, staffId: officer, reason: 'Not qualified' },
    });
    const path = `/v1/audit/teams/${teamId}/composition`;
    const { body } = await eventually(
      server,
      path,
      auditor,
      (b) => (b.members as unknown[] | undefined)?.length === 1,
    );
    expect(body.unqualified).toEqual([]);
    expect(body.lapseHistory).toEqual([
      expect.objectContaining({ staffId: officer, to: expect.any(String) }),
    ]);
    expect(body.disciplines[1]).toMatchObject({ role: 'probation-officer', present: 0, met: false });

    const then = await request(server)
      .get(`${path}?knownAt=${beforeRelease}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(then.body.members).toHaveLength(2);
    expect(then.body.unqualified).toHaveLength(1);
    const before = await request(server)
      .get(`${path}?asOf=2019-01-01`)
      .set('Authorization', auditor)
      .expect(200);
    expect(before.body).toMatchObject({ team: null, members: [], unqualified: [] });
  });

  it('404 for an unknown team, 403 outside the caller’s jurisdictions, 400 for a malformed asOf', async () => {
    await request(server)
      .get(`/v1/audit/teams/${randomUUID()}/composition`)
      .set('Authorization', auditor)
      .expect(404);
    const rs = `Bearer ${await subject.token({ roles: ['auditor'], jurisdictions: ['RS'] })}`;
    await request(server).get(`/v1/audit/teams/${teamId}/composition`).set('Authorization', rs).expect(403);
    await request(server)
      .get(`/v1/audit/teams/${teamId}/composition?asOf=now`)
      .set('Authorization', auditor)
      .expect(400);
  });
});
