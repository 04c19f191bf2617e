import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

describe('GET /v1/teams and GET /v1/sessions (managers)', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let alManager: string;
  let coordinator: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    alManager = `Bearer ${await subject.token({ sub: 'm1', roles: ['manager'], jurisdictions: ['AL'] })}`;
    coordinator = `Bearer ${await subject.token({ sub: 'c', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => subject?.close());

  it('lists the teams of the caller’s jurisdictions with status and member count, by page', async () => {
    const teams = TeamFixtures.of(subject);
    const member = await fixtures.staff();
    await fixtures.certify(member, 'radicalisation-awareness', 'specialised');
    const first = await teams.form(manager('m1'));
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId: first, staffId: member, teamRole: 'probation-officer' },
    });
    await teams.send(manager('m1'), { type: 'DeclareTeamOperational', data: { teamId: first } });
    await teams.form(manager('m1'));
    await teams.form(manager('r1', 'RS'), { jurisdiction: 'RS' });

    const all = await eventually(server, '/v1/teams', alManager, (b) => b.items?.length === 2);
    expect(all.body.items[0]).toMatchObject({
      teamId: first,
      jurisdiction: 'AL',
      status: 'operational',
      memberCount: 1,
      requiredDisciplines: [{ role: 'probation-officer', minCount: 1 }],
    });
    const operational = await request(server)
      .get('/v1/teams?status=operational')
      .set('Authorization', alManager)
      .expect(200);
    expect(operational.body.items.map((t: { teamId: string }) => t.teamId)).toEqual([first]);
    const page = await request(server).get('/v1/teams?limit=1').set('Authorization', alManager).expect(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await request(server)
      .get(`/v1/teams?limit=1&cursor=${page.body.nextCursor}`)
      .set('Authorization', alManager)
      .expect(200);
    expect(next.body.items[0].teamId).not.toBe(first);
    await request(server).get('/v1/teams?jurisdiction=RS').set('Authorization', alManager).expect(403);
    await request(server).get('/v1/teams?status=maybe').set('Authorization', alManager).expect(400);
    await request(server).get('/v1/teams?cursor=%%%').set('Authorization', alManager).expect(400);
  });

  it('lists sessions between from and to with the derived joint flag', async () => {
    const trainer = await fixtures.trainer('AL');
    const programme = await request(server)
      .post('/v1/programmes')
      .set('Authorization', coordinator)
      .send({
        title: 'Dynamic security',
        competencies: [{ competency: 'dynamic-security', level: 'specialised' }],
        kind: 'specialised',
        hours: 16,
        methodology: 'Workshop',
      })
      .expect(201);
    const session = await request(server)
      .post('/v1/sessions')
      .set('Authorization', coordinator)
      .send({
        programmeId: programme.body.id,
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        location: 'Training centre, Tirana',
        jurisdictions: ['AL'],
        agencies: ['prison', 'probation'],
        trainers: [trainer],
        capacity: 20,
      })
      .expect(201);
    const id = session.body.id as string;
    const prison = await fixtures.staff({ agency: 'prison', role: 'front-line-security-officer' });
    const probation = await fixtures.staff({ agency: 'probation' });
    for (const [staffId, attendance] of [
      [prison, 'present'],
      [probation, 'partial'],
    ]) {
      await request(server)
        .post(`/v1/sessions/${id}/enrolments`)
        .set('Authorization', coordinator)
        .send({ staffId })
        .expect(200);
      await request(server)
        .post(`/v1/sessions/${id}/attendance`)
        .set('Authorization', coordinator)
        .send({ staffId, attendance, hours: 4 })
        .expect(200);
    }
    const today = new Date().toISOString().slice(0, 10);
    const listed = await eventually(server, `/v1/sessions?from=2020-01-01&to=${today}`, alManager, (b) =>
      Boolean((b.items as { joint: boolean }[] | undefined)?.[0]?.joint),
    );
    expect(listed.body.items[0]).toMatchObject({
      sessionId: id,
      enrolled: 2,
      joint: true,
      status: 'scheduled',
    });
    const none = await request(server)
      .get('/v1/sessions?to=2020-01-01')
      .set('Authorization', alManager)
      .expect(200);
    expect(none.body.items).toEqual([]);
    await request(server).get('/v1/sessions?from=soon').set('Authorization', alManager).expect(400);
  });
});
