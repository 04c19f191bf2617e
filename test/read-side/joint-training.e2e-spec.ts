import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { sessionDecider } from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { handleCommand } from '@cadre/command-handling';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from './team-audit.fixtures.js';

interface Share {
  jurisdiction: string;
  agency: string;
  headcount: number;
  withJointAttendance: number;
  share: number;
}

describe('GET /v1/audit/joint-training', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let auditor: string;
  let coordinator: string;
  let jointSession: string;
  let probationOfficer: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    coordinator = `Bearer ${await subject.token({ sub: 'c', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
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
    const schedule = async () =>
      (
        await request(server)
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
          .expect(201)
      ).body.id as string;
    const attend = async (sessionId: string, staffId: string, attendance: string) => {
      await request(server)
        .post(`/v1/sessions/${sessionId}/enrolments`)
        .set('Authorization', coordinator)
        .send({ staffId })
        .expect(200);
      await request(server)
        .post(`/v1/sessions/${sessionId}/attendance`)
        .set('Authorization', coordinator)
        .send({ staffId, attendance, hours: attendance === 'absent' ? 0 : 4 })
        .expect(200);
    };
    const prisonOfficer = () =>
      fixtures.staff({ agency: 'prison', role: 'front-line-security-officer', institution: 'Prison Tirana' });
    const [p1, p2] = [await prisonOfficer(), await prisonOfficer()];
    probationOfficer = await fixtures.staff();
    const b2 = await fixtures.staff();
    jointSession = await schedule();
    await attend(jointSession, p1, 'present');
    await attend(jointSession, probationOfficer, 'partial');
    await attend(jointSession, b2, 'absent');
    const prisonOnly = await schedule();
    await attend(prisonOnly, p2, 'present');
  });
  afterAll(async () => subject?.close());

  const of = (shares: Share[], agency: string) =>
    shares.find((s) => s.jurisdiction === 'AL' && s.agency === agency);

  it('counts joint sessions per month and the share of prison and of probation staff who attended one', async () => {
    const { body } = await eventually(
      server,
      '/v1/audit/joint-training',
      auditor,
      (b) =>
        ((b.periods as { jointSessions: number }[] | undefined) ?? []).length === 1 &&
        of(b.shares as Share[], 'probation')?.withJointAttendance === 1,
    );
    expect(body.months).toBe(12);
    expect(body.periods).toEqual([{ period: new Date().toISOString().slice(0, 7), jointSessions: 1 }]);
    // Prison: the trainer and two officers, one of whom attended the joint session.
    expect(of(body.shares, 'prison')).toMatchObject({ headcount: 3, withJointAttendance: 1 });
    expect(of(body.shares, 'probation')).toMatchObject({ headcount: 2, withJointAttendance: 1, share: 0.5 });
    const csv = await request(server)
      .get('/v1/audit/joint-training?months=6')
      .set('Authorization', auditor)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'asOf (UTC),knownAt (UTC),months,jurisdiction,agency,headcount,withJointAttendance,share',
    );
  });

  it('a voided attendance unmakes the joint session from the moment the void was recorded', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const attendance = (await store.readStream(`session-${jointSession}`)).find(
      (e) => e.type === 'AttendanceRecorded' && (e.data as { staffId: string }).staffId === probationOfficer,
    )!;
    const beforeVoid = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const admin: Actor = { sub: 'admin', roles: ['admin'], jurisdictions: ['*'] };
    await handleCommand(
      store,
      {
        stream: `session-${jointSession}`,
        decider: sessionDecider,
        command: {
          type: 'VoidRecord',
          data: { targetEventId: attendance.eventId, reason: 'Signed in for a colleague' },
        },
      },
      { actor: admin, correlationId: randomUUID(), now: () => new Date() },
    );
    const { body } = await eventually(
      server,
      '/v1/audit/joint-training',
      auditor,
      (b) => (b.periods as unknown[]).length === 0,
    );
    expect(of(body.shares, 'probation')).toMatchObject({ withJointAttendance: 0 });
    const then = await request(server)
      .get(`/v1/audit/joint-training?knownAt=${beforeVoid}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(then.body.periods).toHaveLength(1);
  });

  it('refuses a bad months (400), another jurisdiction (403); before any data the answer is empty', async () => {
    await request(server).get('/v1/audit/joint-training?months=0').set('Authorization', auditor).expect(400);
    await request(server)
      .get('/v1/audit/joint-training?months=1.5')
      .set('Authorization', auditor)
      .expect(400);
    await request(server)
      .get('/v1/audit/joint-training?jurisdiction=RS')
      .set('Authorization', auditor)
      .expect(403);
    const before = await request(server)
      .get('/v1/audit/joint-training?asOf=2019-01-01')
      .set('Authorization', auditor)
      .expect(200);
    expect(before.body).toMatchObject({ periods: [], shares: [] });
  });
});
