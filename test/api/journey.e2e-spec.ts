import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

/**
 * The first users' journey, over HTTP only (save the adoption, which has no route yet): a regional
 * coordinator publishes the framework, a trainer-certified trainer runs a joint session that
 * closes, and managers staff a team — qualified, refused with the gap named, overridden by a
 * second manager, and under concurrent requests. Once on PostgreSQL, once on the embedded store.
 */
describe.each([
  ['PostgreSQL', false],
  ['the embedded store', true],
])('the first users’ journey on %s', (_name, embedded) => {
  const dataDir = embedded ? mkdtempSync(join(tmpdir(), 'cadre-journey-')) : null;
  let subject: PlatformTestApp;
  let server: Server;
  const token: Record<'regional' | 'coordinator' | 'alice' | 'bob', string> = {
    regional: '',
    coordinator: '',
    alice: '',
    bob: '',
  };

  beforeAll(async () => {
    subject = await startPlatformTestApp(
      dataDir ? { env: { DATABASE_URL: undefined, CADRE_DATA_DIR: dataDir } } : {},
    );
    server = subject.app.getHttpServer();
    const bearer = async (sub: string, role: 'training-coordinator' | 'manager', jurisdiction: string) =>
      `Bearer ${await subject.token({ sub, roles: [role], jurisdictions: [jurisdiction] })}`;
    token.regional = await bearer('regina', 'training-coordinator', '*');
    token.coordinator = await bearer('cora', 'training-coordinator', 'AL');
    token.alice = await bearer('alice', 'manager', 'AL');
    token.bob = await bearer('bob', 'manager', 'AL');
  }, 120_000);
  afterAll(async () => {
    await subject?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const post = (path: string, as: keyof typeof token, body: object = {}) =>
    request(server).post(path).set('Authorization', token[as]).send(body);
  const get = (path: string, as: keyof typeof token = 'alice') =>
    request(server).get(path).set('Authorization', token[as]).expect(200);
  const staff: Record<string, string> = {};

  it('a regional coordinator publishes the framework and Albania adopts it', async () => {
    await post('/v1/frameworks', 'regional', { version: 'v1', title: 'Regional framework (sample)' }).expect(
      201,
    );
    for (const role of ['trainer', 'front-line-security-officer', 'probation-officer', 'psychologist']) {
      await post('/v1/frameworks/v1/roles', 'regional', { role, title: role }).expect(200);
    }
    const levels = Object.fromEntries(
      ['awareness', 'specialised', 'expert', 'trainer'].map((l) => [
        l,
        { validityMonths: 24, recertificationWindowDays: 60 },
      ]),
    );
    for (const competency of ['dynamic-security', 'vep-risk-assessment', 'radicalisation-awareness']) {
      await post('/v1/frameworks/v1/competencies', 'regional', {
        competency,
        title: competency,
        levels,
      }).expect(200);
    }
    for (const [role, competency, minLevel] of [
      ['psychologist', 'vep-risk-assessment', 'specialised'],
      ['probation-officer', 'radicalisation-awareness', 'awareness'],
      ['front-line-security-officer', 'dynamic-security', 'awareness'],
    ]) {
      await post('/v1/frameworks/v1/requirements', 'regional', { role, competency, minLevel }).expect(200);
    }
    await post('/v1/frameworks/v1/publish', 'regional').expect(200);
    await CadreFixtures.of(subject).adopt(['AL'], 'v1');
    expect((await get('/v1/frameworks/v1')).body.status).toBe('published');
  });

  it('a manager registers staff and a coordinator records their external certifications', async () => {
    const people = [
      ['trainer', 'prison', 'trainer', [['dynamic-security', 'trainer']]],
      ['officer', 'prison', 'front-line-security-officer', []],
      ['probation', 'probation', 'probation-officer', [['radicalisation-awareness', 'specialised']]],
      ['psychologist', 'prison', 'psychologist', [['vep-risk-assessment', 'expert']]],
      ['novice', 'prison', 'psychologist', [['vep-risk-assessment', 'awareness']]],
    ] as const;
    for (const [key, agency, role, certifications] of people) {
      const registered = await post('/v1/staff', 'alice', {
        agency,
        jurisdiction: 'AL',
        institution: agency === 'prison' ? 'Prison 313, Tirana' : 'Probation office, Tirana',
        role,
        name: `Person ${key}`,
        email: `${key}@example.org`,
        employeeRef: `AL-${key.toUpperCase()}-${Math.random().toString(36).slice(2, 8)}`,
      }).expect(201);
      staff[key] = registered.body.id;
      for (const [competency, level] of certifications) {
        await post(`/v1/staff/${staff[key]}/certifications`, 'coordinator', {
          competency,
          level,
          validFrom: new Date(Date.now() - 30 * DAY).toISOString(),
          evidence: { issuer: 'Council of Europe HELP', reference: `HELP-${key}-${competency}` },
        }).expect(200);
      }
    }
  });

  it('a trainer-certified trainer runs a joint session: enrolment, attendance, assessment, close', async () => {
    const programme = await post('/v1/programmes', 'coordinator', {
      title: 'Dynamic security for prison and probation staff',
      competencies: [{ competency: 'dynamic-security', level: 'awareness' }],
      kind: 'awareness',
      hours: 12,
      methodology: 'Two-day joint workshop with case studies',
    }).expect(201);
    const scheduled = await post('/v1/sessions', 'coordinator', {
      programmeId: programme.body.id,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + DAY).toISOString(),
      location: 'Training centre, Tirana',
      jurisdictions: ['AL'],
      agencies: ['prison', 'probation'],
      trainers: [staff.trainer],
      capacity: 12,
    }).expect(201);
    const session = `/v1/sessions/${scheduled.body.id}`;
    for (const key of ['officer', 'probation']) {
      await post(`${session}/enrolments`, 'coordinator', { staffId: staff[key] }).expect(200);
      await post(`${session}/attendance`, 'coordinator', {
        staffId: staff[key],
        attendance: 'present',
        hours: 12,
      }).expect(200);
      await post(`${session}/assessments`, 'coordinator', {
        staffId: staff[key],
        result: 'passed',
        score: 80,
      }).expect(200);
    }
    const closed = await post(`${session}/close`, 'coordinator').expect(200);
    const read = await get(session, 'coordinator');
    expect(read.headers.etag).toBe(`"${closed.body.revision}"`);
    expect(read.body).toMatchObject({ status: 'closed', joint: true, trainers: [staff.trainer] });
  });

  it('managers staff a joint team: qualified, refused with the gap named, overridden by a second manager', async () => {
    const formed = await post('/v1/teams', 'alice', {
      name: 'MDT Tirana — case 2026-114',
      jurisdiction: 'AL',
      institutions: ['Prison 313, Tirana', 'Probation office, Tirana'],
      kind: 'joint',
      caseRef: 'CASE-2026-114',
      requiredDisciplines: [
        { role: 'psychologist', minCount: 2 },
        { role: 'probation-officer', minCount: 1 },
      ],
    }).expect(201);
    const team = `/v1/teams/${formed.body.id}`;
    await post(`${team}/members`, 'alice', { staffId: staff.psychologist, teamRole: 'psychologist' }).expect(
      200,
    );

    const refused = await post(`${team}/members`, 'alice', {
      staffId: staff.novice,
      teamRole: 'psychologist',
    }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'TEAM.MEMBER_NOT_QUALIFIED',
      violations: [
        {
          role: 'psychologist',
          competency: 'vep-risk-assessment',
          requiredLevel: 'specialised',
          held: { level: 'awareness', standing: 'valid' },
        },
      ],
    });
    expect(refused.body.detail).toContain(
      'vep-risk-assessment at level specialised (holds awareness, valid)',
    );

    const requested = await post(`${team}/members`, 'alice', {
      staffId: staff.novice,
      teamRole: 'psychologist',
      override: { justification: 'Only psychologist speaking the client’s language; course booked.' },
    }).expect(202);
    await post(`${team}/overrides/${requested.body.overrideId}/approve`, 'alice').expect(403);
    await post(`${team}/overrides/${requested.body.overrideId}/approve`, 'bob').expect(200);

    // Five managers' clicks on the same person at once: one assignment, the rest refused.
    const clicks = await Promise.all(
      Array.from({ length: 5 }, () =>
        post(`${team}/members`, 'alice', { staffId: staff.probation, teamRole: 'probation-officer' }),
      ),
    );
    expect(clicks.filter((r) => r.status === 200)).toHaveLength(1);
    expect(clicks.filter((r) => r.status === 409)).toHaveLength(4);

    await post(`${team}/lead`, 'alice', { staffId: staff.psychologist }).expect(200);
    await post(`${team}/operational`, 'alice').expect(200);
    const read = await get(team);
    expect(read.body).toMatchObject({ status: 'operational', lead: staff.psychologist });
    expect(Object.keys(read.body.members).sort()).toEqual(
      [staff.psychologist, staff.novice, staff.probation].sort(),
    );
    expect(read.body.members[staff.novice].override).toMatchObject({
      requestedBy: 'alice',
      approvedBy: 'bob',
    });
    // Each member with their name (from the staff directory, which follows within moments), their
    // recorded standing and the rule's answer now; the override excuses what it named.
    for (let i = 0; i < 100; i += 1) {
      if ((await get(team)).body.members[staff.probation].name) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await get(team)).body.members[staff.probation]).toMatchObject({
      name: 'Person probation',
      standing: { status: 'qualified' },
      now: { qualified: true, unmet: [], barrier: null },
    });
    expect(read.body.members[staff.novice].now).toMatchObject({ qualified: true, unmet: [] });
  });
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
