import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { staffWorld, type StaffWorld } from './support/staff-world.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const iso = (millis: number) => new Date(millis).toISOString();

describe('voiding records over HTTP', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let coordinator: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL', 'RS']);
    coordinator = await world.bearer(['training-coordinator'], ['AL'], 'coord-al');
  });
  afterAll(async () => subject?.close());

  const post = (path: string, body: object, token = coordinator) =>
    request(world.server).post(path).set('Authorization', token).send(body);
  const voidRecord = (eventId: string, body: object, token = coordinator) =>
    post(`/v1/records/${eventId}/void`, body, token);
  const refused = async (send: () => Promise<request.Response>, status: number, code?: string) => {
    const before = await world.eventCount();
    const response = await send();
    expect({ status: response.status, code: response.body.code }).toEqual({
      status,
      code: code ?? response.body.code,
    });
    expect(await world.eventCount()).toBe(before);
    return response;
  };
  const certified = async () => {
    const staffId = await world.fixtures.staff();
    const awarded = await post(`/v1/staff/${staffId}/certifications`, {
      competency: 'dynamic-security',
      level: 'awareness',
      validFrom: iso(Date.now() - 100 * DAY_MS),
      evidence: { issuer: 'HELP programme', reference: randomUUID() },
    }).expect(200);
    const events = await world.store.readStream(`staff-${staffId}`);
    return { staffId, certificationId: awarded.body.id as string, awardEventId: events.at(-1)!.eventId };
  };
  const certificationsOf = async (staffId: string) =>
    (await request(world.server).get(`/v1/staff/${staffId}`).set('Authorization', coordinator).expect(200))
      .body.certifications;

  it('voids a certification award in its staff stream: it never counted', async () => {
    const { staffId, awardEventId } = await certified();
    const voided = await voidRecord(awardEventId, {
      reason: 'Certificate issued to the wrong person',
    }).expect(200);
    expect(voided.body).toEqual({ id: awardEventId, revision: 2, position: expect.any(String) });
    expect(voided.headers.etag).toBe('"2"');
    expect(await certificationsOf(staffId)).toEqual([]);
    const [last] = await world.store.readStream(`staff-${staffId}`, { direction: 'backwards', maxCount: 1 });
    expect(last).toMatchObject({
      type: 'RecordVoided',
      data: { targetEventId: awardEventId, targetType: 'CertificationAwarded' },
      metadata: { reason: 'Certificate issued to the wrong person', actor: { sub: 'coord-al' } },
    });
    await refused(() => voidRecord(awardEventId, { reason: 'Again' }), 409, 'RECORD.ALREADY_VOIDED');
  });

  it('voids a renewal: the period before it is in force again', async () => {
    const { staffId, certificationId } = await certified();
    const [before] = await certificationsOf(staffId);
    await post(`/v1/staff/${staffId}/certifications/${certificationId}/renew`, {
      validFrom: iso(Date.now() - DAY_MS),
      evidence: { issuer: 'HELP programme', reference: randomUUID() },
    }).expect(200);
    const [renewed] = await certificationsOf(staffId);
    expect(renewed.validUntil).not.toBe(before.validUntil);
    await voidRecord(renewed.periods[1].eventId, { reason: 'Renewal entered twice' }).expect(200);
    const [after] = await certificationsOf(staffId);
    expect(after).toMatchObject({ certificationId, validUntil: before.validUntil });
    expect(after.periods).toHaveLength(1);
  });

  it('voids an attendance in its session stream', async () => {
    const trainer = await world.fixtures.trainer('AL');
    const programme = await post('/v1/programmes', {
      title: 'Dynamic security',
      competencies: [{ competency: 'dynamic-security', level: 'specialised' }],
      kind: 'specialised',
      hours: 16,
      methodology: 'Workshop',
    }).expect(201);
    const session = await post('/v1/sessions', {
      programmeId: programme.body.id,
      startsAt: iso(Date.now() - HOUR_MS),
      endsAt: iso(Date.now() + 2 * DAY_MS),
      location: 'Training centre, Tirana',
      jurisdictions: ['AL'],
      agencies: ['prison', 'probation'],
      trainers: [trainer],
      capacity: 20,
    }).expect(201);
    const sessionId = session.body.id as string;
    const staffId = await world.fixtures.staff();
    await post(`/v1/sessions/${sessionId}/enrolments`, { staffId }).expect(200);
    await post(`/v1/sessions/${sessionId}/attendance`, { staffId, attendance: 'present', hours: 8 }).expect(
      200,
    );
    const attendance = (await world.store.readStream(`session-${sessionId}`)).at(-1)!;
    expect(attendance.type).toBe('AttendanceRecorded');

    const voided = await voidRecord(attendance.eventId, { reason: 'Recorded for the wrong day' }).expect(200);
    expect(voided.body.id).toBe(attendance.eventId);
    const [last] = await world.store.readStream(`session-${sessionId}`, {
      direction: 'backwards',
      maxCount: 1,
    });
    expect(last).toMatchObject({ type: 'RecordVoided', data: { targetType: 'AttendanceRecorded' } });
    // The enrolment is a record of the session, but not one that can be voided.
    const enrolment = (await world.store.readStream(`session-${sessionId}`))[1];
    await refused(() => voidRecord(enrolment.eventId, { reason: 'x' }), 422, 'RECORD.NOT_VOIDABLE');
  });

  it('answers 404 for an unknown event and 422 for one that is not a voidable record', async () => {
    await refused(() => voidRecord(randomUUID(), { reason: 'Typo' }), 404, 'RECORD.NOT_FOUND');
    await refused(() => voidRecord('not-an-event-id', { reason: 'Typo' }), 404, 'RECORD.NOT_FOUND');
    const staffId = await world.fixtures.staff();
    const [registered] = await world.store.readStream(`staff-${staffId}`);
    const staffEvent = await refused(
      () => voidRecord(registered.eventId, { reason: 'Wrong person' }),
      422,
      'RECORD.NOT_VOIDABLE',
    );
    expect(staffEvent.body).toMatchObject({ targetType: 'StaffMemberRegistered' });
    const [drafted] = await world.store.readStream('framework-v1');
    const frameworkEvent = await refused(
      () => voidRecord(drafted.eventId, { reason: 'Wrong version' }),
      422,
      'RECORD.NOT_VOIDABLE',
    );
    expect(frameworkEvent.body.targetType).toBe('FrameworkVersionDrafted');
  });

  it('needs a reason (400), a coordinator or admin (403) of the jurisdiction (403)', async () => {
    const { awardEventId } = await certified();
    await refused(() => voidRecord(awardEventId, {}), 400, 'COMMAND.FIELD_REQUIRED');
    await refused(() => voidRecord(awardEventId, { reason: ' ' }), 400, 'COMMAND.FIELD_REQUIRED');
    const manager = await world.bearer(['manager'], ['AL']);
    await refused(() => voidRecord(awardEventId, { reason: 'Mistake' }, manager), 403);
    const outside = await world.bearer(['training-coordinator'], ['RS']);
    await refused(
      () => voidRecord(awardEventId, { reason: 'Mistake' }, outside),
      403,
      'ACTOR.OUTSIDE_JURISDICTION',
    );
    const admin = await world.bearer(['admin'], ['*']);
    await voidRecord(awardEventId, { reason: 'Mistake' }, admin).expect(200);
  });
});
