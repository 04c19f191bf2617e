import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

interface Candidate {
  staffId: string;
  eligible: boolean;
  meets: { competency: string; certificationId: string }[];
  lacks: { competency: string; requiredLevel: string; held: { standing: string } | null }[];
}

describe('GET /v1/teams/{id}/eligible-staff', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let alManager: string;
  let teamId: string;
  let qualified: string;
  let partly: string;
  let revoked: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    alManager = `Bearer ${await subject.token({ sub: 'm1', roles: ['manager'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    qualified = await fixtures.staff({ role: 'psychologist' });
    await fixtures.certify(qualified, 'vep-risk-assessment', 'expert');
    await fixtures.certify(qualified, 'radicalisation-awareness', 'awareness');
    partly = await fixtures.staff({ role: 'psychologist' });
    await fixtures.certify(partly, 'vep-risk-assessment', 'specialised');
    revoked = await fixtures.staff({ agency: 'prison', role: 'front-line-security-officer' });
    await fixtures.certify(revoked, 'vep-risk-assessment', 'specialised');
    await fixtures.certify(revoked, 'radicalisation-awareness', 'awareness');
    await fixtures.revoke(revoked, await fixtures.certify(revoked, 'vep-risk-assessment', 'expert'));
    const gone = await fixtures.staff({ role: 'psychologist' });
    await fixtures.leaves(gone);
    await fixtures.staff({ jurisdiction: 'RS', institution: 'Belgrade', role: 'psychologist' });
    teamId = await TeamFixtures.of(subject).form(manager('m1'), { roles: ['psychologist'] });
  });
  afterAll(async () => subject?.close());

  it('lists each active staff member of the team’s jurisdiction with what they meet and what they lack', async () => {
    const path = `/v1/teams/${teamId}/eligible-staff?teamRole=psychologist`;
    const { body } = await eventually(server, path, alManager, (b) => b.items?.length === 3);
    expect(body).toMatchObject({ teamRole: 'psychologist', requirementsVersion: 'v1+AL.0' });
    const of = (staffId: string) => (body.items as Candidate[]).find((c) => c.staffId === staffId)!;
    expect(of(qualified)).toMatchObject({ eligible: true, lacks: [] });
    expect(
      of(qualified)
        .meets.map((m) => m.competency)
        .sort(),
    ).toEqual(['radicalisation-awareness', 'vep-risk-assessment']);
    expect(of(partly)).toMatchObject({
      eligible: false,
      lacks: [{ competency: 'radicalisation-awareness', requiredLevel: 'awareness', held: null }],
    });
    // The revoked expert certification is not counted; the valid specialised one meets the requirement.
    expect(of(revoked)).toMatchObject({ eligible: true });

    const page = await request(server).get(`${path}&limit=2`).set('Authorization', alManager).expect(200);
    const rest = await request(server)
      .get(`${path}&limit=2&cursor=${page.body.nextCursor}`)
      .set('Authorization', alManager)
      .expect(200);
    expect([...page.body.items, ...rest.body.items]).toHaveLength(3);
  });

  it('404 for an unknown team, 400 without teamRole, 403 outside the caller’s jurisdictions', async () => {
    await request(server)
      .get(`/v1/teams/${randomUUID()}/eligible-staff?teamRole=psychologist`)
      .set('Authorization', alManager)
      .expect(404);
    const missing = await request(server)
      .get(`/v1/teams/${teamId}/eligible-staff`)
      .set('Authorization', alManager)
      .expect(400);
    expect(missing.body.detail).toContain('teamRole');
    const rs = `Bearer ${await subject.token({ roles: ['manager'], jurisdictions: ['RS'] })}`;
    await request(server)
      .get(`/v1/teams/${teamId}/eligible-staff?teamRole=psychologist`)
      .set('Authorization', rs)
      .expect(403);
  });
});
