import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from '../read-side/team-audit.fixtures.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

describe('training sessions over HTTP', () => {
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
    await fixtures.sampleFramework();
    coordinator = await bearer({ sub: 'coord', roles: ['training-coordinator'], jurisdictions: ['AL'] });
    trainer = await fixtures.trainer('AL');
    const defined = await post('/v1/programmes', {
      title: 'Dynamic security',
      competencies: [{ competency: 'dynamic-security', level: 'specialised' }],
      kind: 'specialised',
      hours: 16,
      methodology: 'Workshop',
    }).expect(201);
    programmeId = defined.body.id;
  });
  afterAll(async () => subject?.close());

  it('schedules with an accredited trainer (201) and reads the session back, not joint yet', async () => {
    const id = await schedule();
    const read = await request(server)
      .get(`/v1/sessions/${id}`)
      .set('Authorization', coordinator)
      .expect(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({
      status: 'scheduled',
      sessionId: id,
      programmeId,
      competencies: [{ competency: 'dynamic-security', level: 'specialised' }],
      trainers: [trainer],
      joint: false,
    });
  });

  it('refuses a trainer without a valid trainer-level certification (422), naming the gap, writing nothing', async () => {
    const expert = await fixtures.staff({ agency: 'prison', role: 'trainer' });
    await fixtures.certify(expert, 'dynamic-security', 'expert');
    const head = await fixtures.head();
    const refused = await post('/v1/sessions', sessionBody({ trainers: [expert] })).expect(422);
    expect(refused.body).toMatchObject({
      code: 'SESSION.TRAINER_NOT_ACCREDITED',
      trainers: [
        { trainerId: expert, competency: 'dynamic-security', held: { level: 'expert', standing: 'valid' } },
      ],
    });
    expect(refused.body.detail).toContain('trainer-level certification');

    // Accredited today, but the certification ends before a session three years from now.
    const later = Date.now() + 3 * 365 * DAY;
    const tooLate = await post(
      '/v1/sessions',
      sessionBody({ startsAt: iso(later), endsAt: iso(later + DAY) }),
    ).expect(422);
    expect(tooLate.body.trainers[0]).toMatchObject({ trainerId: trainer, held: { standing: 'expired' } });
    expect(await fixtures.head()).toBe(head);
  });

  it('keeps capacity: the enrolment past it is refused (422) and withdrawal frees a place', async () => {
    const id = await schedule({ capacity: 2 });
    const [a, b, c] = await Promise.all([participant(), participant(), participant()]);
    await enrol(id, a).expect(200);
    await enrol(id, b).expect(200);
    const head = await fixtures.head();
    const full = await enrol(id, c).expect(422);
    expect(full.body).toMatchObject({ code: 'SESSION.CAPACITY_REACHED', capacity: 2 });
    expect(await fixtures.head()).toBe(head);
    const again = await enrol(id, a).expect(409);
    expect(again.body.code).toBe('SESSION.ALREADY_ENROLLED');
    await request(server)
      .delete(`/v1/sessions/${id}/enrolments/${b}`)
      .set('Authorization', coordinator)
      .send({ reason: 'Posted elsewhere' })
      .expect(200);
    await enrol(id, c).expect(200);
  });

  it('refuses attendance and closing before the session starts (422)', async () => {
    const tomorrow = Date.now() + DAY;
    const id = await schedule({ startsAt: iso(tomorrow), endsAt: iso(tomorrow + DAY) });
    const staffId = await participant();
    await enrol(id, staffId).expect(200);
    const head = await fixtures.head();
    const early = await post(`/v1/sessions/${id}/attendance`, { staffId, attendance: 'present', hours: 8 });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('SESSION.NOT_STARTED');
    await post(`/v1/sessions/${id}/close`, {}).expect(422);
    expect(await fixtures.head()).toBe(head);
  });

  it('assesses only enrolled participants (422 otherwise) and never an absent one', async () => {
    const id = await schedule();
    const [enrolled, absent, stranger] = await Promise.all([participant(), participant(), participant()]);
    await enrol(id, enrolled).expect(200);
    await enrol(id, absent).expect(200);
    const head = await fixtures.head();
    const refused = await post(`/v1/sessions/${id}/assessments`, { staffId: stranger, result: 'passed' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SESSION.NOT_ENROLLED');
    expect(await fixtures.head()).toBe(head);
    await post(`/v1/sessions/${id}/attendance`, { staffId: absent, attendance: 'absent', hours: 0 }).expect(
      200,
    );
    const absentee = await post(`/v1/sessions/${id}/assessments`, { staffId: absent, result: 'passed' });
    expect(absentee.body.code).toBe('SESSION.ABSENT_NOT_ASSESSED');
    await post(`/v1/sessions/${id}/assessments`, { staffId: enrolled, result: 'passed', score: 90 }).expect(
      200,
    );
    const twice = await post(`/v1/sessions/${id}/assessments`, { staffId: enrolled, result: 'failed' });
    expect(twice.status).toBe(409);
  });

  it('derives joint from attendance of both agencies, and a closed session is read-only (409)', async () => {
    const id = await schedule();
    const prison = await participant('prison');
    const probation = await participant('probation');
    await enrol(id, prison).expect(200);
    await enrol(id, probation).expect(200);
    await post(`/v1/sessions/${id}/attendance`, { staffId: prison, attendance: 'present', hours: 16 }).expect(
      200,
    );
    expect((await read(id)).joint).toBe(false);
    await post(`/v1/sessions/${id}/attendance`, {
      staffId: probation,
      attendance: 'partial',
      hours: 6,
    }).expect(200);
    expect((await read(id)).joint).toBe(true);

    await post(`/v1/sessions/${id}/assessments`, { staffId: prison, result: 'passed', score: 75 }).expect(
      200,
    );
    await post(`/v1/sessions/${id}/close`, {}).expect(200);
    expect((await read(id)).status).toBe('closed');
    const latecomer = await participant();
    // The close makes the award-on-close process award the prison officer who passed: let it
    // land first, so that the head below only moves if a refused command wrote something.
    await awarded(prison);
    const head = await fixtures.head();
    for (const [path, body] of [
      ['assessments', { staffId: probation, result: 'passed' }],
      ['enrolments', { staffId: latecomer }],
      ['close', {}],
      ['cancel', { reason: 'Too late' }],
    ] as const) {
      const refused = await post(`/v1/sessions/${id}/${path}`, body);
      expect([refused.status, refused.body.code]).toEqual([409, 'SESSION.CLOSED']);
    }
    expect(await fixtures.head()).toBe(head);
  });

  it('cancels with a reason only; a cancelled session takes no enrolment (409)', async () => {
    const id = await schedule();
    const missing = await post(`/v1/sessions/${id}/cancel`, {}).expect(400);
    expect(missing.body.code).toBe('COMMAND.FIELD_REQUIRED');
    await post(`/v1/sessions/${id}/cancel`, { reason: 'Trainer unavailable' }).expect(200);
    const refused = await enrol(id, await participant()).expect(409);
    expect(refused.body.code).toBe('SESSION.CANCELLED');
  });

  it('answers 404 for unknown sessions, programmes and staff; 403 outside the jurisdiction', async () => {
    const head = await fixtures.head();
    const unknown = '00000000-0000-4000-8000-000000000000';
    await request(server).get(`/v1/sessions/${unknown}`).set('Authorization', coordinator).expect(404);
    await post(`/v1/sessions/${unknown}/close`, {}).expect(404);
    const programme = await post('/v1/sessions', sessionBody({ programmeId: unknown })).expect(404);
    expect(programme.body.code).toBe('PROGRAMME.NOT_FOUND');
    const id = await schedule();
    const staff = await enrol(id, unknown).expect(404);
    expect(staff.body.code).toBe('STAFF.NOT_FOUND');
    const elsewhere = await post('/v1/sessions', sessionBody({ jurisdictions: ['RS'] })).expect(403);
    expect(elsewhere.body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    const serbian = await bearer({ roles: ['manager'], jurisdictions: ['RS'] });
    await request(server).get(`/v1/sessions/${id}`).set('Authorization', serbian).expect(403);
    const auditor = await bearer({ roles: ['auditor'], jurisdictions: ['*'] });
    await request(server).get(`/v1/sessions/${id}`).set('Authorization', auditor).expect(200);
    expect(await fixtures.head()).not.toBe(head);
  });

  it("Issue 10 case 7: a session stops recording after its trainer's accreditation is revoked", async () => {
    const revokedTrainer = await fixtures.staff({ agency: 'prison', role: 'trainer' });
    const accreditation = await fixtures.certify(revokedTrainer, 'dynamic-security', 'trainer');
    const id = await schedule({ trainers: [revokedTrainer] });
    const [first, second] = await Promise.all([participant('prison'), participant()]);
    await enrol(id, first).expect(200);
    await post(`/v1/sessions/${id}/attendance`, { staffId: first, attendance: 'present', hours: 16 }).expect(
      200,
    );
    await fixtures.revoke(revokedTrainer, accreditation);

    const head = await fixtures.head();
    for (const [path, body] of [
      ['enrolments', { staffId: second }],
      ['assessments', { staffId: first, result: 'passed' }],
      ['close', {}],
    ] as const) {
      const refused = await post(`/v1/sessions/${id}/${path}`, body);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        code: 'SESSION.TRAINER_NOT_QUALIFIED',
        sessionId: id,
        trainerId: revokedTrainer,
        competency: 'dynamic-security',
        held: { certificationId: accreditation, standing: 'revoked' },
      });
      expect(refused.body.detail).toContain(revokedTrainer);
    }
    const attendance = await post(`/v1/sessions/${id}/attendance`, {
      staffId: second,
      attendance: 'present',
      hours: 16,
    });
    expect(attendance.status).toBe(422);
    expect(await fixtures.head()).toBe(head);

    // Replaced by an accredited trainer, the session goes on: it records, closes and awards.
    const unaccredited = await fixtures.staff({ agency: 'prison', role: 'trainer' });
    const beforeReplacing = await fixtures.head();
    const notAccredited = await post(`/v1/sessions/${id}/trainers`, {
      replace: revokedTrainer,
      with: unaccredited,
    }).expect(422);
    expect(notAccredited.body).toMatchObject({
      code: 'SESSION.TRAINER_NOT_ACCREDITED',
      trainers: [{ trainerId: unaccredited, competency: 'dynamic-security', held: null }],
    });
    expect(await fixtures.head()).toBe(beforeReplacing);
    const replaced = await post(`/v1/sessions/${id}/trainers`, {
      replace: revokedTrainer,
      with: trainer,
      reason: 'Accreditation revoked',
    }).expect(200);
    expect(replaced.body).toMatchObject({ id, revision: expect.any(Number) });
    const [event] = await fixtures.store.readStream(`session-${id}`, { direction: 'backwards', maxCount: 1 });
    expect(event).toMatchObject({
      type: 'SessionTrainerReplaced',
      data: {
        sessionId: id,
        replaced: revokedTrainer,
        replacement: trainer,
        reason: 'Accreditation revoked',
      },
    });
    expect((await read(id)).trainers).toEqual([trainer]);
    await post(`/v1/sessions/${id}/assessments`, { staffId: first, result: 'passed', score: 80 }).expect(200);
    await post(`/v1/sessions/${id}/close`, {}).expect(200);
    await awarded(first);
    const today = new Date().toISOString().slice(0, 10);
    const manager = await bearer({ roles: ['manager'], jurisdictions: ['AL'] });
    const listed = await eventually(server, `/v1/sessions?from=2020-01-01&to=${today}`, manager, (b) =>
      (b.items as { sessionId: string; status: string }[]).some(
        (i) => i.sessionId === id && i.status === 'closed',
      ),
    );
    const row = (listed.body.items as { sessionId: string }[]).find((i) => i.sessionId === id);
    expect(row).toMatchObject({ trainers: [trainer] });
  });

  it('stops recording once a trainer has left the service, naming them, until replaced', async () => {
    const leaving = await fixtures.staff({ agency: 'prison', role: 'trainer' });
    await fixtures.certify(leaving, 'dynamic-security', 'trainer');
    const id = await schedule({ trainers: [leaving] });
    const staffId = await participant();
    await enrol(id, staffId).expect(200);
    await fixtures.leaves(leaving);
    const head = await fixtures.head();
    const refused = await post(`/v1/sessions/${id}/attendance`, { staffId, attendance: 'present', hours: 8 });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'SESSION.TRAINER_NOT_QUALIFIED',
      trainerId: leaving,
      competency: null,
      leftAt: expect.any(String),
    });
    const self = await post(`/v1/sessions/${id}/trainers`, { replace: leaving, with: staffId }).expect(422);
    expect(self.body.code).toBe('SESSION.TRAINER_IS_PARTICIPANT');
    const stranger = await post(`/v1/sessions/${id}/trainers`, { replace: staffId, with: trainer }).expect(
      422,
    );
    expect(stranger.body.code).toBe('SESSION.NOT_A_TRAINER');
    await post(`/v1/sessions/${id}/trainers`, { replace: leaving, with: 'not-a-uuid' }).expect(400);
    expect(await fixtures.head()).toBe(head);
    await post(`/v1/sessions/${id}/trainers`, { replace: leaving, with: trainer }).expect(200);
    await post(`/v1/sessions/${id}/attendance`, { staffId, attendance: 'present', hours: 8 }).expect(200);
  });

  const bearer = async (claims: Parameters<PlatformTestApp['token']>[0]) =>
    `Bearer ${await subject.token(claims)}`;
  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', coordinator).send(body);
  const enrol = (id: string, staffId: string) => post(`/v1/sessions/${id}/enrolments`, { staffId });
  const read = async (id: string) =>
    (await request(server).get(`/v1/sessions/${id}`).set('Authorization', coordinator).expect(200)).body;
  const participant = (agency: 'prison' | 'probation' = 'probation') =>
    fixtures.staff({
      agency,
      role: agency === 'prison' ? 'front-line-security-officer' : 'probation-officer',
    });
  /** Waits until the award-on-close process has awarded `staffId` a certification. */
  const awarded = async (staffId: string): Promise<void> => {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const events = await fixtures.store.readStream(`staff-${staffId}`);
      if (events.some((e) => e.type === 'CertificationAwarded')) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`staff-${staffId} was never awarded`);
  };
  const sessionBody = (overrides: object = {}) => ({
    programmeId,
    startsAt: iso(Date.now() - HOUR),
    endsAt: iso(Date.now() + 2 * DAY),
    location: 'Training centre, Tirana',
    jurisdictions: ['AL'],
    agencies: ['prison', 'probation'],
    trainers: [trainer],
    capacity: 20,
    ...overrides,
  });
  const schedule = async (overrides: object = {}): Promise<string> =>
    (await post('/v1/sessions', sessionBody(overrides)).expect(201)).body.id;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (millis: number) => new Date(millis).toISOString();
