import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addDays, addMonths } from '@cadre/domain';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { staffWorld, type StaffWorld } from './support/staff-world.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe('certifications over HTTP', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let coordinator: string;
  let manager: string;
  let evidenceCount = 0;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL', 'RS']);
    coordinator = await world.bearer(['training-coordinator'], ['AL'], 'coord-al');
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
  });
  afterAll(async () => subject?.close());

  const evidence = () => ({ issuer: 'HELP programme', reference: `HELP-${(evidenceCount += 1)}` });
  const award = (staffId: string, body: Record<string, unknown>, token = coordinator) =>
    request(world.server).post(`/v1/staff/${staffId}/certifications`).set('Authorization', token).send(body);
  const act = (staffId: string, certificationId: string, action: string, body: object, token = coordinator) =>
    request(world.server)
      .post(`/v1/staff/${staffId}/certifications/${certificationId}/${action}`)
      .set('Authorization', token)
      .send(body);
  const read = async (staffId: string) =>
    (await request(world.server).get(`/v1/staff/${staffId}`).set('Authorization', coordinator).expect(200))
      .body;
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
  const awardBody = (overrides: Record<string, unknown> = {}) => ({
    competency: 'dynamic-security',
    level: 'awareness',
    validFrom: daysAgo(10),
    evidence: evidence(),
    ...overrides,
  });

  it('awards on external evidence: validUntil and the window come from the framework in force', async () => {
    const staffId = await world.fixtures.staff();
    const validFrom = '2026-01-31T00:00:00.000Z';
    const awarded = await award(staffId, awardBody({ validFrom })).expect(200);
    expect(awarded.body).toEqual({ id: expect.any(String), revision: 1, position: expect.any(String) });
    expect(awarded.headers.etag).toBe('"1"');
    const member = await read(staffId);
    const validUntil = addMonths(validFrom, 24);
    expect(member.certifications).toEqual([
      expect.objectContaining({
        certificationId: awarded.body.id,
        competency: 'dynamic-security',
        level: 'awareness',
        status: 'active',
        validFrom,
        validUntil,
        windowOpensAt: addDays(validUntil, -60),
        periods: [
          expect.objectContaining({ kind: 'award', frameworkVersion: 'v1', eventId: expect.any(String) }),
        ],
      }),
    ]);
  });

  it('refuses a typed-in validUntil, missing evidence and a bad level (400), writing nothing', async () => {
    const staffId = await world.fixtures.staff();
    const typedIn = await refused(
      () => award(staffId, awardBody({ validUntil: '2099-01-01T00:00:00Z' })),
      400,
      'REQUEST.VALIDATION_FAILED',
    );
    expect(typedIn.body.violations.map((v: { field: string }) => v.field)).toEqual(['validUntil']);
    const bad = await refused(
      () => award(staffId, { ...awardBody({ level: 'guru', validFrom: 'yesterday' }), evidence: undefined }),
      400,
    );
    expect(bad.body.violations.map((v: { field: string }) => v.field)).toEqual(
      expect.arrayContaining(['level', 'validFrom', 'evidence']),
    );
    const blank = await refused(
      () => award(staffId, awardBody({ evidence: { issuer: '', reference: 'x' } })),
      400,
    );
    expect(blank.body.violations.map((v: { field: string }) => v.field)).toEqual(['evidence.issuer']);
  });

  it('refuses by rule (422/400) what the framework or the clock does not allow', async () => {
    const staffId = await world.fixtures.staff();
    await refused(
      () => award(staffId, awardBody({ validFrom: '2019-06-01T00:00:00Z' })),
      422,
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
    );
    await refused(
      () => award(staffId, awardBody({ validFrom: new Date(Date.now() + 2 * DAY_MS).toISOString() })),
      400,
      'CERTIFICATION.VALID_FROM_IN_FUTURE',
    );
    await refused(
      () => award(staffId, awardBody({ competency: 'underwater-welding' })),
      422,
      'FRAMEWORK.UNKNOWN_COMPETENCY',
    );
    await world.fixtures.leaves(staffId);
    await refused(() => award(staffId, awardBody()), 422, 'STAFF.MEMBER_LEFT');
    await refused(() => award('00000000-0000-4000-8000-000000000000', awardBody()), 404, 'STAFF.NOT_FOUND');
  });

  it('admits training coordinators and admins of the jurisdiction only (403)', async () => {
    const staffId = await world.fixtures.staff();
    await refused(() => award(staffId, awardBody(), manager), 403);
    const auditor = await world.bearer(['auditor'], ['AL']);
    await refused(() => award(staffId, awardBody(), auditor), 403);
    const outside = await world.bearer(['training-coordinator'], ['RS']);
    await refused(() => award(staffId, awardBody(), outside), 403, 'ACTOR.OUTSIDE_JURISDICTION');
    await award(staffId, awardBody(), await world.bearer(['admin'], ['*'])).expect(200);
  });

  it('records the same evidence once, and renews when passed again at the same level', async () => {
    const staffId = await world.fixtures.staff();
    const body = awardBody({ validFrom: daysAgo(100) });
    const first = await award(staffId, body).expect(200);
    const before = await world.eventCount();
    const again = await award(staffId, body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await world.eventCount()).toBe(before);

    const passedAgain = await award(staffId, awardBody({ validFrom: daysAgo(5) })).expect(200);
    expect(passedAgain.body).toMatchObject({ id: first.body.id, revision: 2 });
    const [certification] = (await read(staffId)).certifications;
    expect(certification.periods.map((p: { kind: string }) => p.kind)).toEqual(['award', 'renewal']);
    expect(certification.validUntil).toBe(addMonths(certification.validFrom, 24));

    const higher = await award(staffId, awardBody({ level: 'specialised' })).expect(200);
    expect(higher.body.id).not.toBe(first.body.id);
  });

  it('renews a named certification, only while it is valid (422 NOT_RENEWABLE otherwise)', async () => {
    const staffId = await world.fixtures.staff();
    const current = await award(staffId, awardBody({ validFrom: daysAgo(200) })).expect(200);
    const renewed = await act(staffId, current.body.id, 'renew', {
      validFrom: daysAgo(1),
      evidence: evidence(),
    }).expect(200);
    expect(renewed.body).toMatchObject({ id: current.body.id, revision: 2 });
    expect(renewed.headers.etag).toBe('"2"');

    const expired = await award(
      staffId,
      awardBody({ level: 'expert', validFrom: '2021-01-01T00:00:00Z' }),
    ).expect(200);
    await refused(
      () => act(staffId, expired.body.id, 'renew', { validFrom: daysAgo(1), evidence: evidence() }),
      422,
      'CERTIFICATION.NOT_RENEWABLE',
    );
    await refused(
      () =>
        act(staffId, '00000000-0000-4000-8000-00000000dead', 'renew', {
          validFrom: daysAgo(1),
          evidence: evidence(),
        }),
      404,
      'CERTIFICATION.NOT_FOUND',
    );
    await refused(
      () =>
        act(staffId, current.body.id, 'renew', {
          validFrom: daysAgo(1),
          evidence: evidence(),
          level: 'trainer',
        }),
      400,
      'REQUEST.VALIDATION_FAILED',
    );
  });

  it('suspends (with a reason), reinstates and revokes, each once', async () => {
    const staffId = await world.fixtures.staff();
    const { body } = await award(staffId, awardBody()).expect(200);
    const id = body.id as string;
    await refused(() => act(staffId, id, 'suspend', {}, manager), 400, 'COMMAND.FIELD_REQUIRED');
    const suspended = await act(staffId, id, 'suspend', { reason: 'Under investigation' }, manager).expect(
      200,
    );
    expect(suspended.body).toMatchObject({ id, revision: 2 });
    await refused(
      () => act(staffId, id, 'suspend', { reason: 'Again' }),
      409,
      'CERTIFICATION.ALREADY_SUSPENDED',
    );
    await refused(
      () => act(staffId, id, 'renew', { validFrom: daysAgo(1), evidence: evidence() }),
      409,
      'CERTIFICATION.SUSPENDED',
    );
    expect((await read(staffId)).certifications[0].status).toBe('suspended');
    await refused(() => act(staffId, id, 'reinstate', {}, manager), 403);
    await act(staffId, id, 'reinstate', {}).expect(200);
    await refused(() => act(staffId, id, 'reinstate', {}), 409, 'CERTIFICATION.NOT_SUSPENDED');
    await refused(() => act(staffId, id, 'revoke', { reason: 'Fraud' }, manager), 403);
    await refused(() => act(staffId, id, 'revoke', {}), 400, 'COMMAND.FIELD_REQUIRED');
    await act(staffId, id, 'revoke', { reason: 'Certificate obtained by fraud' }).expect(200);
    await refused(() => act(staffId, id, 'revoke', { reason: 'Again' }), 409, 'CERTIFICATION.REVOKED');
    await refused(() => act(staffId, id, 'suspend', { reason: 'Again' }), 409, 'CERTIFICATION.REVOKED');
    await refused(
      () => act(staffId, 'no-such-certification', 'suspend', { reason: 'x' }),
      404,
      'CERTIFICATION.NOT_FOUND',
    );
    const member = await read(staffId);
    expect(member.certifications[0]).toMatchObject({ certificationId: id, status: 'revoked' });
    const events = await world.store.readStream(`staff-${staffId}`);
    expect(events.at(-1)).toMatchObject({
      type: 'CertificationRevoked',
      data: { reason: 'Certificate obtained by fraud' },
      metadata: { actor: { sub: 'coord-al' } },
    });
  });
});
