import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import type { RecordedEvent } from '@cadre/event-store';
import { resetCheckpoint } from '@cadre/subscriptions';
import type pg from 'pg';
import { PG_POOL } from '@cadre/command-handling/nest';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually as eventuallyAnswers, manager } from '../read-side/team-audit.fixtures.js';

const HOUR = 3_600_000;
const iso = (millis: number) => new Date(millis).toISOString();

describe('process managers in the worker: awards on close and lapses', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let coordinator: string;
  let programmeId: string;
  let trainer: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL']);
    coordinator = `Bearer ${await subject.token({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    trainer = await fixtures.trainer('AL');
    programmeId = (
      await post('/v1/programmes', {
        title: 'Dynamic security',
        competencies: [{ competency: 'dynamic-security', level: 'specialised' }],
        kind: 'specialised',
        hours: 16,
        methodology: 'Workshop',
      }).expect(201)
    ).body.id;
  });
  afterAll(async () => subject?.close());

  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', coordinator).send(body);

  /** The events of `stream` once `done` holds for them (the worker runs on its own). */
  const eventually = async (stream: string, done: (events: RecordedEvent[]) => boolean) => {
    for (let i = 0; i < 200; i += 1) {
      const events = await fixtures.store.readStream(stream);
      if (done(events)) return events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${stream} never got there`);
  };

  it('awards the competency to those who passed when the session closes, caused by the close, once', async () => {
    const [leaver, passed, failed] = await Promise.all([
      fixtures.staff(),
      fixtures.staff(),
      fixtures.staff(),
    ]);
    const id = (
      await post('/v1/sessions', {
        programmeId,
        startsAt: iso(Date.now() - HOUR),
        endsAt: iso(Date.now() + HOUR),
        location: 'Training centre, Tirana',
        jurisdictions: ['AL'],
        agencies: ['probation'],
        trainers: [trainer],
        capacity: 10,
      }).expect(201)
    ).body.id;
    for (const staffId of [leaver, passed, failed]) {
      await post(`/v1/sessions/${id}/enrolments`, { staffId }).expect(200);
      await post(`/v1/sessions/${id}/attendance`, { staffId, attendance: 'present', hours: 16 }).expect(200);
    }
    await post(`/v1/sessions/${id}/assessments`, { staffId: passed, result: 'passed', score: 80 }).expect(
      200,
    );
    await post(`/v1/sessions/${id}/assessments`, { staffId: failed, result: 'failed', score: 20 }).expect(
      200,
    );
    await post(`/v1/sessions/${id}/assessments`, { staffId: leaver, result: 'passed' }).expect(200);
    await fixtures.leaves(leaver);
    await post(`/v1/sessions/${id}/close`, {}).expect(200);
    const session = await fixtures.store.readStream(`session-${id}`);
    const closed = session.find((e) => e.type === 'SessionClosed')!;
    const assessment = session.find(
      (e) => e.type === 'AssessmentRecorded' && (e.data as { staffId: string }).staffId === passed,
    )!;

    const events = await eventually(`staff-${passed}`, (all) =>
      all.some((e) => e.type === 'CertificationAwarded'),
    );
    const awards = events.filter((e) => e.type === 'CertificationAwarded');
    expect(awards).toHaveLength(1);
    expect(awards[0]).toMatchObject({
      data: {
        competency: 'dynamic-security',
        level: 'specialised',
        validFrom: closed.metadata.occurredAt,
        evidence: { kind: 'session', sessionId: id, assessmentEventId: assessment.eventId },
      },
      metadata: { causationId: closed.eventId, actor: { sub: 'process:process-award-on-close' } },
    });
    // The member who left meanwhile is refused: recorded for admins, and the process moved on.
    const admin = `Bearer ${await subject.token({ sub: 'admin', roles: ['admin'], jurisdictions: ['*'] })}`;
    let refusals = await request(server)
      .get('/v1/processes/refusals')
      .set('Authorization', admin)
      .expect(200);
    for (let i = 0; i < 100 && refusals.body.items.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refusals = await request(server).get('/v1/processes/refusals').set('Authorization', admin).expect(200);
    }
    expect(refusals.body.items).toEqual([
      expect.objectContaining({
        process: 'process-award-on-close',
        causeEventId: closed.eventId,
        stream: `staff-${leaver}`,
        command: 'AwardCertification',
        code: 'STAFF.MEMBER_LEFT',
      }),
    ]);
    await request(server).get('/v1/processes/refusals').set('Authorization', coordinator).expect(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      (await fixtures.store.readStream(`staff-${failed}`)).some((e) => e.type === 'CertificationAwarded'),
    ).toBe(false);
  });

  it('voids the award resting on an assessment voided after the close, caused by that void, and no other', async () => {
    const [voided, kept] = await Promise.all([fixtures.staff(), fixtures.staff()]);
    const id = (
      await post('/v1/sessions', {
        programmeId,
        startsAt: iso(Date.now() - HOUR),
        endsAt: iso(Date.now() + HOUR),
        location: 'Training centre, Tirana',
        jurisdictions: ['AL'],
        agencies: ['probation'],
        trainers: [trainer],
        capacity: 10,
      }).expect(201)
    ).body.id;
    for (const staffId of [voided, kept]) {
      await post(`/v1/sessions/${id}/enrolments`, { staffId }).expect(200);
      await post(`/v1/sessions/${id}/assessments`, { staffId, result: 'passed', score: 70 }).expect(200);
    }
    await post(`/v1/sessions/${id}/close`, {}).expect(200);
    const awarded = (staffId: string) =>
      eventually(`staff-${staffId}`, (all) => all.some((e) => e.type === 'CertificationAwarded'));
    const [award] = (await awarded(voided)).filter((e) => e.type === 'CertificationAwarded');
    await awarded(kept);
    const { assessmentEventId } = (award!.data as { evidence: { assessmentEventId: string } }).evidence;

    const reason = 'Assessment recorded for the wrong participant';
    await post(`/v1/records/${assessmentEventId}/void`, { reason }).expect(200);
    const sessionVoid = (await fixtures.store.readStream(`session-${id}`)).find(
      (e) => e.type === 'RecordVoided',
    )!;
    const events = await eventually(`staff-${voided}`, (all) => all.some((e) => e.type === 'RecordVoided'));
    expect(events.filter((e) => e.type === 'RecordVoided')).toEqual([
      expect.objectContaining({
        data: {
          stream: `staff-${voided}`,
          targetEventId: award!.eventId,
          targetType: 'CertificationAwarded',
          reason: `The assessment it rested on was voided: ${reason}`,
        },
        metadata: expect.objectContaining({
          causationId: sessionVoid.eventId,
          correlationId: sessionVoid.metadata.correlationId,
          actor: expect.objectContaining({ sub: 'process:process-award-on-close' }),
        }),
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fixtures.store.readStream(`staff-${kept}`)).some((e) => e.type === 'RecordVoided')).toBe(
      false,
    );
  });

  it('records the lapse on every team the member serves when a certification is revoked', async () => {
    const staffId = await fixtures.staff();
    const certificationId = await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
    const teams = TeamFixtures.of(subject);
    const teamIds = [await teams.form(manager('m1')), await teams.form(manager('m1'))];
    for (const teamId of teamIds) {
      await teams.send(manager('m1'), {
        type: 'AssignMember',
        data: { teamId, staffId, teamRole: 'probation-officer' },
      });
    }
    await fixtures.revoke(staffId, certificationId);
    const revoked = (await fixtures.store.readStream(`staff-${staffId}`)).find(
      (e) => e.type === 'CertificationRevoked',
    )!;
    for (const teamId of teamIds) {
      const events = await eventually(`team-${teamId}`, (all) => all.some((e) => e.type === 'MemberLapsed'));
      expect(events.filter((e) => e.type === 'MemberLapsed')).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            teamId,
            staffId,
            teamRole: 'probation-officer',
            cause: 'revoked',
            since: revoked.metadata.occurredAt,
            unmet: [expect.objectContaining({ held: expect.objectContaining({ certificationId }) })],
          }),
          metadata: expect.objectContaining({ causationId: revoked.eventId }),
        }),
      ]);
    }
  });

  it('records a lapse, cause voided, when a serving member loses their only covering certification to a void, once, even replayed', async () => {
    const managerAL = `Bearer ${await subject.token({ sub: 'mgr-al', roles: ['manager'], jurisdictions: ['AL'] })}`;
    const [sole, covered] = await Promise.all([fixtures.staff(), fixtures.staff()]);
    const soleCertification = await fixtures.certify(sole, 'radicalisation-awareness', 'specialised');
    const coveredCertification = await fixtures.certify(covered, 'radicalisation-awareness', 'specialised');
    await fixtures.certify(covered, 'radicalisation-awareness', 'expert');
    const marker = await fixtures.staff();
    const markerCertification = await fixtures.certify(marker, 'radicalisation-awareness', 'specialised');
    const teams = TeamFixtures.of(subject);
    const teamId = await teams.form(manager('m1'));
    for (const staffId of [covered, sole, marker]) {
      await teams.send(manager('m1'), {
        type: 'AssignMember',
        data: { teamId, staffId, teamRole: 'probation-officer' },
      });
    }
    const awardOf = async (staffId: string, certificationId: string) =>
      (await fixtures.store.readStream(`staff-${staffId}`)).find(
        (e) =>
          e.type === 'CertificationAwarded' &&
          (e.data as { certificationId: string }).certificationId === certificationId,
      )!;
    // The covered member's void first: the process reads the log in order, so once the sole
    // member's lapse is recorded, the covered member's void has been decided too.
    for (const [staffId, certificationId] of [
      [covered, coveredCertification],
      [sole, soleCertification],
    ] as const) {
      const award = await awardOf(staffId, certificationId);
      await post(`/v1/records/${award.eventId}/void`, { reason: 'Issued on a forged reference' }).expect(200);
    }
    const soleVoid = (await fixtures.store.readStream(`staff-${sole}`)).find(
      (e) => e.type === 'RecordVoided',
    )!;
    const lapses = async () =>
      (await fixtures.store.readStream(`team-${teamId}`)).filter((e) => e.type === 'MemberLapsed');
    await eventually(`team-${teamId}`, (all) => all.some((e) => e.type === 'MemberLapsed'));
    expect(await lapses()).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          teamId,
          staffId: sole,
          cause: 'voided',
          unmet: [
            expect.objectContaining({
              held: expect.objectContaining({ certificationId: soleCertification, standing: 'voided' }),
            }),
          ],
        }),
        metadata: expect.objectContaining({
          causationId: soleVoid.eventId,
          actor: expect.objectContaining({ sub: 'process:process-qualification-lapse' }),
        }),
      }),
    ]);
    const { body } = await eventuallyAnswers(server, '/v1/lapses', managerAL, (b) =>
      (b.items as { teamId: string }[]).some((item) => item.teamId === teamId),
    );
    expect((body.items as { teamId: string }[]).filter((item) => item.teamId === teamId)).toEqual([
      expect.objectContaining({
        teamId,
        staffId: sole,
        certificationId: soleCertification,
        cause: 'voided',
        acknowledged: null,
      }),
    ]);

    // Replayed from the start of the log (its checkpoint reset, same version): nothing twice. A
    // revocation appended after the restart marks the end: its lapse comes after every replayed one.
    const processes = subject.app.get(ProcessManagerWorker);
    const lapse = processes.runners.find((r) => r.projection.name === 'process-qualification-lapse')!;
    await lapse.stop();
    await resetCheckpoint(subject.app.get<pg.Pool>(PG_POOL), lapse.projection.name, lapse.projection.version);
    lapse.start();
    await fixtures.revoke(marker, markerCertification);
    await eventually(`team-${teamId}`, (all) =>
      all.some((e) => e.type === 'MemberLapsed' && (e.data as { staffId: string }).staffId === marker),
    );
    expect((await lapses()).map((e) => (e.data as { staffId: string }).staffId)).toEqual([sole, marker]);
  });

  it('records a lapse, cause voided, when the assessment a serving member was certified on is voided', async () => {
    const staffId = await fixtures.staff({ agency: 'prison', role: 'front-line-security-officer' });
    const id = (
      await post('/v1/sessions', {
        programmeId,
        startsAt: iso(Date.now() - HOUR),
        endsAt: iso(Date.now() + HOUR),
        location: 'Training centre, Tirana',
        jurisdictions: ['AL'],
        agencies: ['prison'],
        trainers: [trainer],
        capacity: 10,
      }).expect(201)
    ).body.id;
    await post(`/v1/sessions/${id}/enrolments`, { staffId }).expect(200);
    await post(`/v1/sessions/${id}/assessments`, { staffId, result: 'passed', score: 75 }).expect(200);
    await post(`/v1/sessions/${id}/close`, {}).expect(200);
    const [award] = (
      await eventually(`staff-${staffId}`, (all) => all.some((e) => e.type === 'CertificationAwarded'))
    ).filter((e) => e.type === 'CertificationAwarded');
    const { certificationId, evidence } = award!.data as {
      certificationId: string;
      evidence: { assessmentEventId: string };
    };
    const teams = TeamFixtures.of(subject);
    const teamId = await teams.form(manager('m1'), {
      kind: 'prison',
      roles: ['front-line-security-officer'],
    });
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId, teamRole: 'front-line-security-officer' },
    });

    await post(`/v1/records/${evidence.assessmentEventId}/void`, { reason: 'Wrong participant' }).expect(200);
    const awardVoid = (
      await eventually(`staff-${staffId}`, (all) => all.some((e) => e.type === 'RecordVoided'))
    ).find((e) => e.type === 'RecordVoided')!;
    const events = await eventually(`team-${teamId}`, (all) => all.some((e) => e.type === 'MemberLapsed'));
    expect(events.filter((e) => e.type === 'MemberLapsed')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          teamId,
          staffId,
          cause: 'voided',
          unmet: [expect.objectContaining({ held: expect.objectContaining({ certificationId }) })],
        }),
        metadata: expect.objectContaining({ causationId: awardVoid.eventId }),
      }),
    ]);
  });

  it("reports each process manager's lag in /health/ready details and metrics, never making the api unready", async () => {
    const processes = subject.app.get(ProcessManagerWorker);
    const schedule = processes.runners.find((r) => r.projection.name === 'process-certification-schedule')!;
    const lagOf = async () =>
      (await processes.measure()).find((lag) => lag.name === 'process-certification-schedule')!;
    await schedule.stop();
    try {
      await fixtures.certify(await fixtures.staff(), 'dynamic-security', 'awareness');
      expect((await lagOf()).lagEvents).toBeGreaterThanOrEqual(1);
      const ready = await request(server).get('/health/ready').expect(200);
      expect(ready.body.details.processes).toMatchObject({
        status: 'up',
        lag: expect.arrayContaining([
          expect.objectContaining({
            name: 'process-certification-schedule',
            lagEvents: expect.any(Number),
            lagSeconds: expect.any(Number),
          }),
          expect.objectContaining({ name: 'process-award-on-close' }),
        ]),
      });
      const behind = ready.body.details.processes.lag.find(
        (lag: { name: string }) => lag.name === 'process-certification-schedule',
      );
      expect(behind.lagEvents).toBeGreaterThanOrEqual(1);
      const metrics = await request(server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(
        /cadre_process_lag_events\{process="process-certification-schedule"\} [1-9]/,
      );
      expect(metrics.text).toMatch(
        /cadre_process_lag_seconds\{process="process-certification-schedule"\} \d/,
      );
    } finally {
      schedule.start();
    }
    for (let i = 0; i < 200 && ((await lagOf()).lagEvents ?? 1) > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await lagOf()).toMatchObject({ lagEvents: 0, lagSeconds: 0 });
  });
});
