import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { teamStream } from '@cadre/domain';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

describe('multi-disciplinary teams over HTTP', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    alice = await bearer({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] });
    bob = await bearer({ sub: 'bob', roles: ['manager'], jurisdictions: ['AL'] });
  });
  afterAll(async () => subject?.close());

  it('forms a team (201) that is not ready until its disciplines are present', async () => {
    const id = await form();
    const read = await get(id).expect(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({
      status: 'forming',
      teamId: id,
      kind: 'joint',
      members: {},
      readiness: {
        missing: [
          { role: 'psychologist', required: 1, present: 0 },
          { role: 'probation-officer', required: 1, present: 0 },
        ],
        agenciesMissing: ['prison', 'probation'],
      },
    });
  });

  it('assigns a qualified member, recording the certifications that met each requirement', async () => {
    const id = await form();
    const staffId = await psychologist();
    const assigned = await assign(id, { staffId, teamRole: 'psychologist' }).expect(200);
    expect(assigned.body).toEqual({ id, revision: 1, position: expect.any(String) });
    expect((await get(id)).body.members[staffId]).toMatchObject({
      teamRole: 'psychologist',
      agency: 'prison',
    });
    const [, event] = await fixtures.store.readStream(teamStream(id));
    expect(event).toMatchObject({
      type: 'MemberAssigned',
      data: {
        assignedBy: 'alice',
        requirementsVersion: 'v1+AL.0',
        override: null,
        qualification: expect.arrayContaining([
          expect.objectContaining({ competency: 'vep-risk-assessment', met: true, level: 'specialised' }),
        ]),
      },
      metadata: { actor: { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] } },
    });
    const twice = await assign(id, { staffId, teamRole: 'psychologist' }).expect(409);
    expect(twice.body.code).toBe('TEAM.ALREADY_MEMBER');
  });

  it('refuses an unqualified member (422), naming each unmet requirement, and writes nothing', async () => {
    const id = await form();
    const staffId = await psychologist({ vepLevel: 'awareness' });
    const nothing = await psychologist({ vepLevel: null, awareness: false });
    const head = await fixtures.head();
    const refused = await assign(id, { staffId, teamRole: 'psychologist' }).expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'TEAM.MEMBER_NOT_QUALIFIED',
      status: 422,
      staffId,
      teamRole: 'psychologist',
      violations: [
        {
          role: 'psychologist',
          competency: 'vep-risk-assessment',
          requiredLevel: 'specialised',
          held: { level: 'awareness', standing: 'valid', certificationId: expect.any(String) },
        },
      ],
    });
    expect(refused.body.detail).toBe(
      'This person does not meet every requirement for the psychologist role: vep-risk-assessment at level specialised (holds awareness, valid). Assign someone qualified, or request an override with a justification.',
    );
    const none = await assign(id, { staffId: nothing, teamRole: 'psychologist' }).expect(422);
    expect(none.body.violations).toEqual(
      expect.arrayContaining([
        { role: 'psychologist', competency: 'vep-risk-assessment', requiredLevel: 'specialised', held: null },
        {
          role: 'psychologist',
          competency: 'radicalisation-awareness',
          requiredLevel: 'awareness',
          held: null,
        },
      ]),
    );
    expect(await fixtures.head()).toBe(head);
  });

  it('overrides: requested (202) → self-approval refused (403) → approved by another manager → assigned', async () => {
    const id = await form();
    const staffId = await psychologist({ vepLevel: 'awareness' });
    const justification = 'Only Arabic-speaking psychologist in the region; course booked for March.';
    const requested = await assign(id, {
      staffId,
      teamRole: 'psychologist',
      override: { justification },
    }).expect(202);
    const { overrideId } = requested.body;
    expect(requested.body).toEqual({
      id,
      revision: 1,
      position: expect.any(String),
      overrideId: expect.any(String),
    });
    const pending = (await get(id)).body;
    expect(pending.members).toEqual({});
    expect(pending.overrides[overrideId]).toMatchObject({
      staffId,
      decision: 'pending',
      requestedBy: 'alice',
    });

    const again = await assign(id, { staffId, teamRole: 'psychologist', override: { justification } }).expect(
      409,
    );
    expect(again.body.code).toBe('TEAM.OVERRIDE_PENDING');
    const head = await fixtures.head();
    const self = await approve(id, overrideId, alice).expect(403);
    expect(self.body.code).toBe('TEAM.OVERRIDE_SELF_APPROVAL');
    expect(await fixtures.head()).toBe(head);

    await approve(id, overrideId, bob).expect(200);
    const member = (await get(id)).body.members[staffId];
    expect(member).toMatchObject({
      teamRole: 'psychologist',
      override: { overrideId, justification, requestedBy: 'alice', approvedBy: 'bob' },
    });
    expect(member.override.violations).toEqual([
      expect.objectContaining({ competency: 'vep-risk-assessment' }),
    ]);
    const twice = await approve(id, overrideId, bob).expect(409);
    expect(twice.body.code).toBe('TEAM.OVERRIDE_ALREADY_DECIDED');
    await approve(id, '00000000-0000-4000-8000-000000000000', bob).expect(404);
  });

  it('rejects an override with a reason; the manager may then ask again', async () => {
    const id = await form();
    const staffId = await psychologist({ vepLevel: 'awareness' });
    const override = { justification: 'Urgent case' };
    const { overrideId } = (await assign(id, { staffId, teamRole: 'psychologist', override }).expect(202))
      .body;
    await request(server)
      .post(`/v1/teams/${id}/overrides/${overrideId}/reject`)
      .set('Authorization', bob)
      .send({})
      .expect(400);
    await request(server)
      .post(`/v1/teams/${id}/overrides/${overrideId}/reject`)
      .set('Authorization', bob)
      .send({ reason: 'Another qualified psychologist is available' })
      .expect(200);
    expect((await get(id)).body.overrides[overrideId].decision).toBe('rejected');
    await assign(id, { staffId, teamRole: 'psychologist', override }).expect(202);
  });

  it('declares operational only with every required discipline and both agencies of a joint team', async () => {
    const id = await form();
    const psy = await psychologist();
    await assign(id, { staffId: psy, teamRole: 'psychologist' }).expect(200);
    const head = await fixtures.head();
    const notReady = await operational(id).expect(422);
    expect(notReady.body).toMatchObject({
      code: 'TEAM.NOT_READY',
      missing: [{ role: 'probation-officer', required: 1, present: 0 }],
      agenciesMissing: ['probation'],
    });
    expect(await fixtures.head()).toBe(head);
    await assign(id, { staffId: await probationOfficer(), teamRole: 'probation-officer' }).expect(200);
    await operational(id).expect(200);
    expect((await get(id)).body).toMatchObject({
      status: 'operational',
      readiness: { missing: [], agenciesMissing: [] },
    });

    // A joint team whose disciplines are met by prison staff alone still lacks probation.
    const joint = await form({ requiredDisciplines: [{ role: 'psychologist', minCount: 1 }] });
    await assign(joint, { staffId: await psychologist(), teamRole: 'psychologist' }).expect(200);
    const oneAgency = await operational(joint).expect(422);
    expect(oneAgency.body).toMatchObject({ missing: [], agenciesMissing: ['probation'] });
  });

  it('designates a lead among members, releases with a reason, and a dissolved team is read-only (409)', async () => {
    const id = await form();
    const staffId = await psychologist();
    const outsider = await psychologist();
    const notMember = await lead(id, outsider).expect(422);
    expect(notMember.body.code).toBe('TEAM.LEAD_NOT_A_MEMBER');
    await assign(id, { staffId, teamRole: 'psychologist' }).expect(200);
    await lead(id, staffId).expect(200);
    expect((await get(id)).body.lead).toBe(staffId);

    const release = (who: string, body?: object) =>
      request(server).delete(`/v1/teams/${id}/members/${who}`).set('Authorization', alice).send(body);
    const noReason = await release(staffId).expect(400);
    expect(noReason.body.code).toBe('COMMAND.FIELD_REQUIRED');
    await release(outsider, { reason: 'x' }).expect(404);
    await release(staffId, { reason: 'Moved to another case' }).expect(200);
    expect((await get(id)).body).toMatchObject({ members: {}, lead: null });

    await request(server).post(`/v1/teams/${id}/dissolve`).set('Authorization', alice).send({}).expect(400);
    await request(server)
      .post(`/v1/teams/${id}/dissolve`)
      .set('Authorization', alice)
      .send({ reason: 'Case closed' })
      .expect(200);
    const head = await fixtures.head();
    const closed = await assign(id, { staffId, teamRole: 'psychologist' }).expect(409);
    expect(closed.body.code).toBe('TEAM.DISSOLVED');
    expect(await fixtures.head()).toBe(head);
  });

  it('acts only as a manager of the team’s jurisdiction, on active members of it', async () => {
    const id = await form();
    const head = await fixtures.head();
    const serbian = await bearer({ sub: 'sasa', roles: ['manager'], jurisdictions: ['RS'] });
    const staffId = await psychologist();
    const inRs = await psychologist({ jurisdiction: 'RS' });
    const departed = await psychologist();
    await fixtures.leaves(departed);
    const after = await fixtures.head();
    expect(after).not.toBe(head);

    const outside = await assign(id, { staffId, teamRole: 'psychologist' }, serbian).expect(403);
    expect(outside.body.code).toBe('TEAM.NOT_A_MANAGER');
    const coordinator = await bearer({ roles: ['training-coordinator'], jurisdictions: ['AL'] });
    await assign(id, { staffId, teamRole: 'psychologist' }, coordinator).expect(403);
    await request(server).get(`/v1/teams/${id}`).set('Authorization', serbian).expect(403);
    await request(server).post('/v1/teams').set('Authorization', serbian).send(teamBody()).expect(403);

    const elsewhere = await assign(id, { staffId: inRs, teamRole: 'psychologist' }).expect(422);
    expect(elsewhere.body).toMatchObject({ code: 'TEAM.MEMBER_NOT_ELIGIBLE' });
    expect(elsewhere.body.detail).toContain('they work in RS, not AL');
    const left = await assign(id, { staffId: departed, teamRole: 'psychologist' }).expect(422);
    expect(left.body.detail).toContain('they have left the service');
    const role = await assign(id, { staffId, teamRole: 'astrologer' }).expect(422);
    expect(role.body.code).toBe('TEAM.UNKNOWN_ROLE');
    const unknown = await assign(id, {
      staffId: '00000000-0000-4000-8000-000000000000',
      teamRole: 'psychologist',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'STAFF.NOT_FOUND']);
    await get('00000000-0000-4000-8000-000000000000').expect(404);
    expect(await fixtures.head()).toBe(after);
  });

  it('admits managers only to its writes: an admin is refused by the guard, writing nothing, and reads', async () => {
    const id = await form();
    const staffId = await psychologist({ vepLevel: 'awareness' });
    const override = { justification: 'Urgent case' };
    const { overrideId } = (await assign(id, { staffId, teamRole: 'psychologist', override }).expect(202))
      .body;
    const admin = await bearer({ sub: 'root', roles: ['admin'], jurisdictions: ['*'] });
    const head = await fixtures.head();
    const writes: [string, string, object][] = [
      ['post', '/v1/teams', teamBody()],
      ['post', `/v1/teams/${id}/members`, { staffId, teamRole: 'psychologist', override }],
      ['post', `/v1/teams/${id}/overrides/${overrideId}/approve`, {}],
      ['post', `/v1/teams/${id}/overrides/${overrideId}/reject`, { reason: 'No' }],
      ['delete', `/v1/teams/${id}/members/${staffId}`, { reason: 'No' }],
      ['post', `/v1/teams/${id}/lead`, { staffId }],
      ['post', `/v1/teams/${id}/operational`, {}],
      ['post', `/v1/teams/${id}/dissolve`, { reason: 'No' }],
    ];
    for (const [method, path, body] of writes) {
      const refused = await request(server)
        [method as 'post' | 'delete'](path)
        .set('Authorization', admin)
        .send(body);
      expect([path, refused.status, refused.body.code, refused.body.admittedRoles]).toEqual([
        path,
        403,
        'AUTH.ROLE_NOT_ADMITTED',
        ['manager'],
      ]);
    }
    expect(await fixtures.head()).toBe(head);
    await request(server).get(`/v1/teams/${id}`).set('Authorization', admin).expect(200);
  });

  it('issue 10 case 9: refuses a team where no framework was adopted, or whose disciplines are unknown or named twice (writing nothing)', async () => {
    const montenegrin = await bearer({ sub: 'marko', roles: ['manager'], jurisdictions: ['ME'] });
    const head = await fixtures.head();
    const refused = await request(server)
      .post('/v1/teams')
      .set('Authorization', montenegrin)
      .send(teamBody({ jurisdiction: 'ME' }))
      .expect(422);
    expect(refused.body.code).toBe('JURISDICTION.NO_FRAMEWORK_ADOPTED');
    expect(refused.body.detail).toMatch(/ME has not adopted a training framework/);
    const unknown = await request(server)
      .post('/v1/teams')
      .set('Authorization', alice)
      .send(teamBody({ requiredDisciplines: [{ role: 'astrologer', minCount: 1 }] }))
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'TEAM.UNKNOWN_ROLE', role: 'astrologer' });
    const twice = await request(server)
      .post('/v1/teams')
      .set('Authorization', alice)
      .send(
        teamBody({
          requiredDisciplines: [
            { role: 'psychologist', minCount: 1 },
            { role: 'psychologist', minCount: 2 },
          ],
        }),
      )
      .expect(400);
    expect(twice.body.code).toBe('TEAM.DUPLICATE_DISCIPLINE');
    expect(await fixtures.head()).toBe(head);
  });

  it('keeps every rule under 10 concurrent assignments to one team: no member twice, counts consistent', async () => {
    const id = await form();
    const people = await Promise.all(Array.from({ length: 6 }, () => psychologist()));
    // Ten requests, four of them for someone already asked for.
    const asked = [...people, people[0]!, people[1]!, people[2]!, people[3]!];
    const responses = await Promise.all(
      asked.map((staffId) => assign(id, { staffId, teamRole: 'psychologist' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const refused of responses.filter((r) => r.status === 409)) {
      expect(['TEAM.ALREADY_MEMBER', 'COMMAND.CONCURRENT_UPDATE']).toContain(refused.body.code);
    }
    const assigned = responses.filter((r) => r.status === 200);
    const team = (await get(id)).body;
    const events = await fixtures.store.readStream(teamStream(id));
    const assignments = events
      .filter((e) => e.type === 'MemberAssigned')
      .map((e) => (e.data as { staffId: string }).staffId);
    expect(new Set(assignments).size).toBe(assignments.length);
    expect(assignments).toHaveLength(assigned.length);
    expect(Object.keys(team.members).sort()).toEqual([...assignments].sort());
    expect(team.revision).toBe(events.length - 1);
    expect(assigned.map((r) => r.body.revision).sort((a, b) => a - b)).toEqual(
      assignments.map((_, i) => i + 1),
    );
    // Whoever lost a race on a free place may simply retry: the rules still hold.
    for (const staffId of people) {
      const retry = await assign(id, { staffId, teamRole: 'psychologist' });
      expect([200, 409]).toContain(retry.status);
    }
    expect(Object.keys((await get(id)).body.members).sort()).toEqual([...people].sort());
  });

  const bearer = async (claims: Parameters<PlatformTestApp['token']>[0]) =>
    `Bearer ${await subject.token(claims)}`;
  const teamBody = (overrides: object = {}) => ({
    name: 'MDT Tirana — case 2026-114',
    jurisdiction: 'AL',
    institutions: ['Prison Tirana 313', 'Probation office Tirana'],
    kind: 'joint',
    caseRef: 'CASE-2026-114',
    requiredDisciplines: [
      { role: 'psychologist', minCount: 1 },
      { role: 'probation-officer', minCount: 1 },
    ],
    ...overrides,
  });
  const form = async (overrides: object = {}): Promise<string> =>
    (
      await request(server)
        .post('/v1/teams')
        .set('Authorization', alice)
        .send(teamBody(overrides))
        .expect(201)
    ).body.id;
  const get = (id: string) => request(server).get(`/v1/teams/${id}`).set('Authorization', alice);
  const assign = (id: string, body: object, as: string = alice) =>
    request(server).post(`/v1/teams/${id}/members`).set('Authorization', as).send(body);
  const approve = (id: string, overrideId: string, as: string) =>
    request(server).post(`/v1/teams/${id}/overrides/${overrideId}/approve`).set('Authorization', as).send({});
  const operational = (id: string) =>
    request(server).post(`/v1/teams/${id}/operational`).set('Authorization', alice).send({});
  const lead = (id: string, staffId: string) =>
    request(server).post(`/v1/teams/${id}/lead`).set('Authorization', alice).send({ staffId });

  /** A prison psychologist: vep-risk-assessment at `vepLevel` (none when null), awareness of radicalisation. */
  async function psychologist(
    options: {
      vepLevel?: 'awareness' | 'specialised' | null;
      awareness?: boolean;
      jurisdiction?: string;
    } = {},
  ): Promise<string> {
    const { vepLevel = 'specialised', awareness = true, jurisdiction = 'AL' } = options;
    const staffId = await fixtures.staff({
      agency: 'prison',
      role: 'psychologist',
      jurisdiction,
      institution: 'Prison 313',
    });
    if (vepLevel) await fixtures.certify(staffId, 'vep-risk-assessment', vepLevel);
    if (awareness) await fixtures.certify(staffId, 'radicalisation-awareness', 'awareness');
    return staffId;
  }

  async function probationOfficer(): Promise<string> {
    const staffId = await fixtures.staff({ agency: 'probation', role: 'probation-officer' });
    await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
    return staffId;
  }
});
