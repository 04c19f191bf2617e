import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld, type StaffWorld } from '../api/support/staff-world.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

interface Candidate {
  staffId: string;
  eligible: boolean;
  meets: { competency: string; certificationId: string }[];
  violations: { competency: string; requiredLevel: string; held: { standing: string } | null }[];
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
    teamId = await TeamFixtures.of(subject).form(manager('m1'), { kind: 'joint', roles: ['psychologist'] });
  });
  afterAll(async () => subject?.close());

  it('lists each active staff member of the team’s jurisdiction with what they meet and what they lack', async () => {
    const path = `/v1/teams/${teamId}/eligible-staff?teamRole=psychologist`;
    const { body } = await eventually(server, path, alManager, (b) => b.items?.length === 3);
    expect(body).toMatchObject({ teamRole: 'psychologist', requirementsVersion: 'v1+AL.0' });
    const of = (staffId: string) => (body.items as Candidate[]).find((c) => c.staffId === staffId)!;
    expect(of(qualified)).toMatchObject({ eligible: true, violations: [] });
    expect(
      of(qualified)
        .meets.map((m) => m.competency)
        .sort(),
    ).toEqual(['radicalisation-awareness', 'vep-risk-assessment']);
    expect(of(partly)).toMatchObject({
      eligible: false,
      violations: [{ competency: 'radicalisation-awareness', requiredLevel: 'awareness', held: null }],
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

describe('Issue 10 case 4: eligibility agrees with assignment', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let manager1: string;
  let teamId: string;
  const ids: Record<string, string> = {};
  const prison = { agency: 'prison', institution: 'Fushë-Krujë prison', role: 'psychologist' };

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL', 'RS']);
    manager1 = await world.bearer(['manager'], ['AL'], 'm1');
    const admin = await world.bearer(['admin'], ['*'], 'admin');
    const people: [string, Record<string, unknown>, boolean][] = [
      ['Arta Kola', prison, true],
      ['Besa Leka', prison, true],
      ['Cora Marku', { agency: 'probation', role: 'psychologist' }, true],
      ['Dea Noka', prison, false],
      ['Elira Shehu', prison, true],
      ['Fatos Berisha', { ...prison, jurisdiction: 'RS', institution: 'Belgrade' }, true],
    ];
    for (const [i, [name, spec, certified]] of people.entries()) {
      const body = registration({ ...spec, name, employeeRef: `AL-PRS-${String(i).padStart(4, '0')}` });
      const reply = await request(world.server).post('/v1/staff').set('Authorization', admin).send(body);
      expect(reply.status).toBe(201);
      ids[name] = reply.body.id;
      if (!certified) continue;
      await world.fixtures.certify(reply.body.id, 'vep-risk-assessment', 'specialised');
      await world.fixtures.certify(reply.body.id, 'radicalisation-awareness', 'awareness');
    }
    await request(world.server)
      .delete(`/v1/staff/${ids['Elira Shehu']}/personal-data`)
      .set('Authorization', manager1)
      .expect(200);
    const formed = await request(world.server)
      .post('/v1/teams')
      .set('Authorization', manager1)
      .send({
        name: 'MDT Fushë-Krujë',
        jurisdiction: 'AL',
        institutions: ['Fushë-Krujë prison'],
        kind: 'prison',
        caseRef: 'CASE-4',
        requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
      });
    expect(formed.status).toBe(201);
    teamId = formed.body.id;
    await assign(ids['Besa Leka']!, 'psychologist').expect(200);
  });
  afterAll(async () => subject?.close());

  const assign = (staffId: string, teamRole: string) =>
    request(world.server)
      .post(`/v1/teams/${teamId}/members`)
      .set('Authorization', manager1)
      .send({ staffId, teamRole });
  const eligible = (query: string) =>
    request(world.server)
      .get(`/v1/teams/${teamId}/eligible-staff?teamRole=${query}`)
      .set('Authorization', manager1);

  it('refuses what the assignment refuses, flags members, names, sorts, pages and filters', async () => {
    // Wait for the read models: every AL person listed, the member flagged, the erasure shown.
    const { body } = await eventually(
      world.server,
      `/v1/teams/${teamId}/eligible-staff?teamRole=psychologist`,
      manager1,
      (b) =>
        JSON.stringify(b.items ?? []).includes('"currentMember":true') &&
        JSON.stringify(b.items ?? []).includes('"name":"erased"') &&
        (b.items?.length ?? 0) === 5,
    );
    const item = (staffId: string) => (body.items as Item[]).find((i) => i.staffId === staffId)!;

    // Sorted: eligible first, then by name ("erased" where erased), then staffId.
    expect((body.items as Item[]).map((i) => [i.name, i.eligible])).toEqual([
      ['Arta Kola', true],
      ['erased', true],
      ['Besa Leka', false],
      ['Cora Marku', false],
      ['Dea Noka', false],
    ]);
    expect(item(ids['Arta Kola']!)).toMatchObject({
      institution: 'Fushë-Krujë prison',
      agency: 'prison',
      role: 'psychologist',
      eligible: true,
      currentMember: false,
      barrier: null,
      violations: [],
    });
    // A current member: flagged, not eligible again; the assignment refuses a second time too.
    expect(item(ids['Besa Leka']!)).toMatchObject({ eligible: false, qualified: true, currentMember: true });
    expect((await assign(ids['Besa Leka']!, 'psychologist')).status).not.toBe(200);
    // The agency: a probation psychologist cannot serve on a prison team, whatever she holds.
    expect(item(ids['Cora Marku']!)).toMatchObject({
      eligible: false,
      barrier: { kind: 'agency-not-admitted' },
    });
    const agency = await assign(ids['Cora Marku']!, 'psychologist').expect(422);
    expect(agency.body.code).toBe('TEAM.MEMBER_NOT_ELIGIBLE');
    expect(item(ids['Dea Noka']!)).toMatchObject({
      eligible: false,
      barrier: null,
      violations: [
        { competency: 'vep-risk-assessment', requiredLevel: 'specialised', held: null },
        { competency: 'radicalisation-awareness', requiredLevel: 'awareness', held: null },
      ],
    });
    expect((await assign(ids['Dea Noka']!, 'psychologist')).status).not.toBe(200);

    // An unknown role: the assignment's 422, naming the framework version.
    const unknown = await eligible('astrologer').expect(422);
    expect(unknown.body).toMatchObject({ code: 'TEAM.UNKNOWN_ROLE' });
    expect(unknown.body.detail).toContain('v1');
    const refused = await assign(ids['Arta Kola']!, 'astrologer').expect(422);
    expect(refused.body.code).toBe(unknown.body.code);
    expect(refused.body.detail).toBe(unknown.body.detail);

    // A malformed role: the assignment's 400.
    const malformed = await eligible('Probation-Officer').expect(400);
    const commandMalformed = await assign(ids['Arta Kola']!, 'Probation-Officer').expect(400);
    expect(malformed.body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(malformed.body.code).toBe(commandMalformed.body.code);
    expect(malformed.body.detail).toBe(commandMalformed.body.detail);

    // eligible=true: only those an assignment would accept now.
    const only = await eligible('psychologist&eligible=true').expect(200);
    expect(only.body.items.map((i: Item) => i.staffId)).toEqual([ids['Arta Kola'], ids['Elira Shehu']]);

    // The cursor: pages of two follow the same order, and a page asked twice is the same page.
    const pages: Item[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: request.Response = await eligible(`psychologist&limit=2&cursor=${cursor}`).expect(200);
      const again = await eligible(`psychologist&limit=2&cursor=${cursor}`).expect(200);
      expect(again.body).toEqual(page.body);
      pages.push(page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(body.items);
    await eligible('psychologist&cursor=not-a-cursor!').expect(400);

    // Eligible means the assignment goes through.
    await assign(ids['Arta Kola']!, 'psychologist').expect(200);
    await eventually(
      world.server,
      `/v1/teams/${teamId}/eligible-staff?teamRole=psychologist&eligible=true`,
      manager1,
      (b) => b.items?.length === 1,
    );
  });
});

interface Item {
  staffId: string;
  name: string;
  eligible: boolean;
  qualified: boolean;
  currentMember: boolean;
}
