import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Logger } from 'pino';
import type { EventStore } from '@cadre/event-store';
import { PINO_LOGGER } from '@cadre/platform';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld, type StaffWorld } from './support/staff-world.js';

describe('staff over HTTP', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let store: EventStore;
  let managerAL: string;
  let managerRS: string;
  let regional: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL', 'RS']);
    store = world.store;
    managerAL = await world.bearer(['manager'], ['AL'], 'mgr-al');
    managerRS = await world.bearer(['manager'], ['RS'], 'mgr-rs');
    regional = await world.bearer(['admin'], ['*'], 'admin');
  });
  afterAll(async () => subject?.close());

  const register = (body: Record<string, unknown>, token = managerAL) =>
    request(world.server).post('/v1/staff').set('Authorization', token).send(body);
  const get = (id: string, token = managerAL) =>
    request(world.server).get(`/v1/staff/${id}`).set('Authorization', token);
  /** Runs a refused request and asserts that the store holds no more events than before. */
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

  it('registers with 201 and ETag, and shows the person (unsealed) with ETag = revision', async () => {
    const created = await register(registration({ employeeRef: 'AL-PRB-0100' })).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(String) });
    expect(created.headers.etag).toBe('"0"');

    const read = await get(created.body.id).expect(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({
      staffId: created.body.id,
      status: 'active',
      agency: 'probation',
      jurisdiction: 'AL',
      institution: 'Tirana probation office',
      role: 'probation-officer',
      personalData: 'available',
      name: 'Ana Hoxha',
      email: 'ana.hoxha@example.org',
      employeeRef: 'AL-PRB-0100',
      certifications: [],
      revision: 0,
    });
  });

  it('writes no personal data in clear: not in events, not in stream names, not in metadata', async () => {
    const created = await register(
      registration({ name: 'Drita Krasniqi', email: 'drita.k@example.org', employeeRef: 'AL-SECRET-77' }),
    ).expect(201);
    const all = await store.readAll({ limit: 10_000 });
    const raw = JSON.stringify(all);
    for (const clear of ['Drita', 'Krasniqi', 'drita.k@example.org', 'AL-SECRET-77', 'al-secret-77']) {
      expect(raw).not.toContain(clear);
    }
    const [registered] = await store.readStream(`staff-${created.body.id}`);
    expect(registered.data).toMatchObject({
      personalData: { alg: 'A256GCM', ciphertext: expect.any(String), iv: expect.any(String) },
    });
    expect(all.filter((e) => e.stream.startsWith('employee-ref-AL-')).length).toBeGreaterThan(0);
  });

  it('keeps an employeeRef unique within a jurisdiction (409, nothing written) but not across', async () => {
    await register(registration({ employeeRef: 'AL-DUP-1' })).expect(201);
    const taken = await refused(
      () => register(registration({ employeeRef: 'al-dup-1', name: 'Someone Else' })),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );
    expect(taken.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(taken.body.detail).toMatch(/AL/);
    await register(
      registration({ jurisdiction: 'RS', institution: 'Belgrade prison', employeeRef: 'AL-DUP-1' }),
      managerRS,
    ).expect(201);
  });

  it('refuses, writing nothing: unknown role (422), no framework adopted (422), wrong jurisdiction (403)', async () => {
    await refused(
      () => register(registration({ role: 'astronaut', employeeRef: 'R-1' })),
      422,
      'STAFF.UNKNOWN_ROLE',
    );
    const montenegro = await world.bearer(['manager'], ['ME']);
    await refused(
      () => register(registration({ jurisdiction: 'ME', employeeRef: 'R-2' }), montenegro),
      422,
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
    );
    await refused(
      () => register(registration({ jurisdiction: 'RS', employeeRef: 'R-3' })),
      403,
      'ACTOR.OUTSIDE_JURISDICTION',
    );
    // The refused registration reserved nothing: the same reference registers now.
    await register(registration({ employeeRef: 'R-1' })).expect(201);
  });

  it('refuses the wrong role (403), a bad body naming each field (400) and no token (401)', async () => {
    const auditor = await world.bearer(['auditor'], ['AL']);
    await refused(() => register(registration({ employeeRef: 'R-4' }), auditor), 403);
    const coordinator = await world.bearer(['training-coordinator'], ['AL']);
    await refused(() => register(registration({ employeeRef: 'R-5' }), coordinator), 403);
    const invalid = await refused(
      () =>
        register({ ...registration({ email: 'not-an-email', agency: 'navy' }), employeeRef: ' ', extra: 1 }),
      400,
      'REQUEST.VALIDATION_FAILED',
    );
    expect(invalid.body.violations.map((v: { field: string }) => v.field)).toEqual(
      expect.arrayContaining(['email', 'agency', 'employeeRef', 'extra']),
    );
    await refused(() => request(world.server).post('/v1/staff').send(registration()), 401);
  });

  it('answers 404 for an unknown member, and 403 to a reader of another jurisdiction', async () => {
    const missing = await get('00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.code).toBe('STAFF.NOT_FOUND');
    await refused(
      () =>
        request(world.server)
          .post('/v1/staff/00000000-0000-4000-8000-000000000000/role-changes')
          .set('Authorization', managerAL)
          .send({ role: 'psychologist' }),
      404,
      'STAFF.NOT_FOUND',
    );
    const created = await register(registration({ employeeRef: 'AL-READ-1' })).expect(201);
    await get(created.body.id, managerRS).expect(403);
    await get(created.body.id, await world.bearer(['auditor'], ['AL'])).expect(200);
    await get(created.body.id, await world.bearer(['hr-system'], ['AL'])).expect(403);
  });

  it('Issue 10 case 8: shows each certificate its standing by the clock, not "active" once expired', async () => {
    const staffId = await world.fixtures.staff();
    const monthsAgo = (months: number) => new Date(Date.now() - months * 30.5 * 86_400_000).toISOString();
    // Valid for 24 months from 25 months ago: expired by the clock, CertificationExpired not yet recorded.
    const expired = await world.fixtures.certify(staffId, 'dynamic-security', 'awareness', monthsAgo(25));
    const valid = await world.fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
    const revoked = await world.fixtures.certify(staffId, 'vep-risk-assessment', 'awareness');
    await world.fixtures.revoke(staffId, revoked);

    const { body } = await get(staffId).expect(200);
    const byId = (id: string) =>
      (body.certifications as { certificationId: string }[]).find((c) => c.certificationId === id);
    expect(byId(expired)).toMatchObject({ status: 'active', standing: 'expired' });
    expect(byId(valid)).toMatchObject({ status: 'active', standing: 'valid' });
    expect(byId(revoked)).toMatchObject({ status: 'revoked', standing: 'revoked' });
  });

  it('changes the role (200, ETag), honours If-Match (412), and refuses an unchanged role (409)', async () => {
    const { body } = await register(registration({ employeeRef: 'AL-ROLE-1' })).expect(201);
    const roleChange = (role: string, ifMatch?: string) => {
      const r = request(world.server)
        .post(`/v1/staff/${body.id}/role-changes`)
        .set('Authorization', managerAL);
      return (ifMatch ? r.set('If-Match', ifMatch) : r).send({ role });
    };
    const changed = await roleChange('psychologist', '"0"').expect(200);
    expect(changed.body).toMatchObject({ id: body.id, revision: 1 });
    expect(changed.headers.etag).toBe('"1"');
    await refused(() => roleChange('probation-officer', '"0"'), 412, 'COMMAND.REVISION_MISMATCH');
    await refused(() => roleChange('psychologist'), 409, 'STAFF.NOTHING_TO_CHANGE');
    await refused(() => roleChange('astronaut'), 422, 'STAFF.UNKNOWN_ROLE');
    expect((await get(body.id).expect(200)).body.role).toBe('psychologist');
  });

  it('transfers within and across jurisdictions, moving the employeeRef reservation along', async () => {
    const { body } = await register(registration({ employeeRef: 'MOVE-1' })).expect(201);
    const transfer = (payload: object, token = managerAL) =>
      request(world.server).post(`/v1/staff/${body.id}/transfers`).set('Authorization', token).send(payload);
    await transfer({ institution: 'Durrës probation office' }).expect(200);
    await refused(() => transfer({ institution: 'Durrës probation office' }), 409, 'STAFF.NOTHING_TO_CHANGE');
    // Acting in AL only, a manager cannot move someone to RS.
    await refused(() => transfer({ institution: 'Belgrade', jurisdiction: 'RS' }), 403);
    // RS already has a member with MOVE-1: the move is refused and nothing is written.
    const rsMember = await register(
      registration({ jurisdiction: 'RS', institution: 'Niš prison', employeeRef: 'MOVE-1' }),
      managerRS,
    ).expect(201);
    const both = await world.bearer(['manager'], ['AL', 'RS']);
    await refused(
      () => transfer({ institution: 'Belgrade', jurisdiction: 'RS' }, both),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );
    // Once RS frees it (its holder moves to AL… where MOVE-1 is taken): refused as well.
    await refused(
      () =>
        request(world.server)
          .post(`/v1/staff/${rsMember.body.id}/transfers`)
          .set('Authorization', both)
          .send({ institution: 'Tirana', jurisdiction: 'AL' }),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );
    const other = await register(registration({ employeeRef: 'MOVE-2' })).expect(201);
    await request(world.server)
      .post(`/v1/staff/${other.body.id}/transfers`)
      .set('Authorization', both)
      .send({ institution: 'Belgrade probation office', jurisdiction: 'RS', agency: 'probation' })
      .expect(200);
    expect((await get(other.body.id, both).expect(200)).body).toMatchObject({
      jurisdiction: 'RS',
      institution: 'Belgrade probation office',
      employeeRef: 'MOVE-2',
    });
    // MOVE-2 is free again in AL, and taken in RS.
    await register(registration({ employeeRef: 'MOVE-2' })).expect(201);
    await refused(
      () => register(registration({ jurisdiction: 'RS', employeeRef: 'MOVE-2' }), managerRS),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );
  });

  it('records a departure (idempotent) after which nothing changes (422)', async () => {
    const { body } = await register(registration({ employeeRef: 'AL-LEFT-1' })).expect(201);
    const depart = () =>
      request(world.server).post(`/v1/staff/${body.id}/departure`).set('Authorization', managerAL).send({});
    expect((await depart().expect(200)).body.revision).toBe(1);
    expect((await depart().expect(200)).body.revision).toBe(1);
    await refused(
      () =>
        request(world.server)
          .post(`/v1/staff/${body.id}/role-changes`)
          .set('Authorization', managerAL)
          .send({ role: 'psychologist' }),
      422,
      'STAFF.MEMBER_LEFT',
    );
    expect((await get(body.id).expect(200)).body.status).toBe('left');
  });

  it('needs a reason to back-date a registration by more than 24 h', async () => {
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await refused(
      () => register(registration({ employeeRef: 'AL-LATE-1', occurredAt: lastMonth })),
      400,
      'COMMAND.BACKDATED_WITHOUT_REASON',
    );
    const late = await register(
      registration({ employeeRef: 'AL-LATE-1', occurredAt: lastMonth, reason: 'Paper file entered late' }),
    ).expect(201);
    const [event] = await store.readStream(`staff-${late.body.id}`);
    expect(event.metadata).toMatchObject({ occurredAt: lastMonth, reason: 'Paper file entered late' });
  });

  it('replays an Idempotency-Key: the same member, nothing registered twice', async () => {
    const send = () =>
      register(registration({ employeeRef: 'AL-IDEM-1' })).set('Idempotency-Key', 'register-idem-1');
    const first = await send().expect(201);
    const before = await world.eventCount();
    const again = await send().expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(await world.eventCount()).toBe(before);
  });

  it('erases: the person reads as erased (never an error), the events stay as they were', async () => {
    const { body } = await register(
      registration({ name: 'Besa Gashi', email: 'besa@example.org', employeeRef: 'AL-ERASE-1' }),
    ).expect(201);
    const before = await store.readStream(`staff-${body.id}`);
    await refused(
      () =>
        request(world.server).delete(`/v1/staff/${body.id}/personal-data`).set('Authorization', managerRS),
      403,
      'ACTOR.OUTSIDE_JURISDICTION',
    );
    const erased = await request(world.server)
      .delete(`/v1/staff/${body.id}/personal-data`)
      .set('Authorization', managerAL)
      .expect(200);
    expect(erased.body).toMatchObject({ id: body.id, revision: 1 });

    const read = await get(body.id).expect(200);
    expect(read.body).toMatchObject({
      staffId: body.id,
      status: 'active',
      role: 'probation-officer',
      personalData: 'erased',
      name: null,
      email: null,
      employeeRef: null,
    });
    const after = await store.readStream(`staff-${body.id}`);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.type)).toEqual(['StaffMemberRegistered', 'StaffPersonalDataErased']);
    expect(JSON.stringify(after)).not.toMatch(/Besa|Gashi|besa@example\.org|AL-ERASE-1/);

    // Asked again: nothing more recorded, still erased.
    const again = await request(world.server)
      .delete(`/v1/staff/${body.id}/personal-data`)
      .set('Authorization', regional)
      .expect(200);
    expect(again.body.revision).toBe(1);
    await refused(
      () =>
        request(world.server)
          .delete('/v1/staff/00000000-0000-4000-8000-000000000000/personal-data')
          .set('Authorization', managerAL),
      404,
      'STAFF.NOT_FOUND',
    );
  });

  it('erasure frees the employeeRef, which a new registration may take; a refused erasure frees nothing', async () => {
    const { body } = await register(registration({ employeeRef: 'AL-ERASE-2' })).expect(201);
    const erase = (token: string) =>
      request(world.server).delete(`/v1/staff/${body.id}/personal-data`).set('Authorization', token);
    await refused(() => erase(managerRS), 403, 'ACTOR.OUTSIDE_JURISDICTION');
    await refused(() => erase(managerAL).set('If-Match', '"3"'), 412, 'COMMAND.REVISION_MISMATCH');
    await refused(
      () => register(registration({ employeeRef: 'AL-ERASE-2' })),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );

    await erase(managerAL).expect(200);
    const rehired = await register(registration({ employeeRef: 'AL-ERASE-2' })).expect(201);
    expect((await get(rehired.body.id).expect(200)).body.employeeRef).toBe('AL-ERASE-2');
    expect((await get(body.id).expect(200)).body.employeeRef).toBeNull();
    // The new holder keeps it: erasing the forgotten member again frees nothing.
    await erase(managerAL).expect(200);
    await refused(
      () => register(registration({ employeeRef: 'AL-ERASE-2' })),
      409,
      'STAFF.EMPLOYEE_REF_TAKEN',
    );
  });

  it('logs neither the token nor the personal data of a registration, accepted or refused', async () => {
    const token = managerAL.replace('Bearer ', '');
    await register(
      registration({ name: 'Zana Berisha', email: 'zana.b@example.org', employeeRef: 'AL-LOG-1' }),
    ).expect(201);
    await register(
      registration({ name: 'Zana Berisha', email: 'zana.b@example.org', employeeRef: 'AL-LOG-1' }),
    ).expect(409);
    await register({
      ...registration({ name: 'Zana Berisha', employeeRef: 'AL-LOG-2' }),
      email: 'zana.b@',
    }).expect(400);
    // Should a request body ever be logged, the app's logger leaves it out of a request, and
    // redacts the personal fields of a body logged on its own.
    subject.app.get<Logger>(PINO_LOGGER).info(
      {
        req: {
          body: registration({
            name: 'Zana Berisha',
            email: 'zana.b@example.org',
            employeeRef: 'AL-LOG-3',
          }),
        },
      },
      'probe',
    );
    expect(subject.logs.at(-1)).toMatchObject({ msg: 'probe', req: {} });
    subject.app
      .get<Logger>(PINO_LOGGER)
      .info({ body: registration({ name: 'Zana Berisha', employeeRef: 'AL-LOG-3' }) }, 'probe');
    expect(subject.logs.at(-1)).toMatchObject({
      msg: 'probe',
      body: { name: '[redacted]', email: '[redacted]', employeeRef: '[redacted]' },
    });
    const logged = JSON.stringify(subject.logs);
    expect(subject.logs.length).toBeGreaterThan(0);
    for (const secret of ['Zana', 'Berisha', 'zana.b@', 'AL-LOG-1', 'AL-LOG-2', 'AL-LOG-3', token]) {
      expect(logged).not.toContain(secret);
    }
  });
});
