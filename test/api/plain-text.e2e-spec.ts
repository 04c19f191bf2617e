import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { teamStream } from '@cadre/domain';
import { ProjectionWorker } from '@cadre/subscriptions/nest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from '../read-side/team-audit.fixtures.js';
import { registration, staffWorld, type StaffWorld } from './support/staff-world.js';

/**
 * Issue 12, Part A item 1: one request with a NUL or a lone surrogate in a text field used to be
 * recorded, and then froze the read models for good (PostgreSQL refuses such text, every retry
 * failed again). Text in commands is plain text (DOMAIN.md, docs/decisions/0017-plain-text.md):
 * refused at the edge, and text recorded before the rule is projected with U+FFFD.
 */
const NUL = 'Prison\u0000Podgorica';
const LONE_SURROGATE = 'Zatvor \ud800 Spuž';
const CONTROL = 'Durrës\u001b[31m';
const CARRIAGE_RETURN = 'line one\r\nline two';
const NOT_NFC = 'Durre\u0308s';
const SOME_ID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('text in commands is plain text', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let server: Server;
  let manager: string;
  let coordinator: string;
  let admin: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL']);
    server = world.server;
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
    coordinator = await world.bearer(['training-coordinator'], ['AL'], 'coord-al');
    admin = await world.bearer(['admin'], ['*'], 'admin');
  });
  afterAll(async () => subject?.close());

  const teamBody = (overrides: object = {}) => ({
    name: 'MDT Tirana — case 2026-114',
    jurisdiction: 'AL',
    institutions: ['Prison Tirana 313', 'Probation office Tirana'],
    kind: 'joint',
    caseRef: 'CASE-2026-114',
    requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
    ...overrides,
  });
  const award = (evidence: object) => ({
    competency: 'dynamic-security',
    level: 'awareness',
    validFrom: '2026-01-01T00:00:00Z',
    evidence: { issuer: 'HELP programme', reference: 'HELP-1', ...evidence },
  });

  // [what, caller, path, body, the field named]
  const refusals: [string, () => string, string, object, string][] = [
    [
      'a NUL in a staff institution',
      () => manager,
      '/v1/staff',
      registration({ institution: NUL }),
      'institution',
    ],
    [
      'a lone surrogate in a staff name',
      () => manager,
      '/v1/staff',
      registration({ name: LONE_SURROGATE }),
      'name',
    ],
    [
      'a control character in a reason',
      () => manager,
      '/v1/staff',
      registration({ reason: CONTROL }),
      'reason',
    ],
    [
      'text not in NFC in a transfer',
      () => manager,
      `/v1/staff/${SOME_ID}/transfers`,
      { institution: NOT_NFC },
      'institution',
    ],
    ['a NUL in a team name', () => manager, '/v1/teams', teamBody({ name: NUL }), 'name'],
    [
      'a lone surrogate in a caseRef',
      () => manager,
      '/v1/teams',
      teamBody({ caseRef: LONE_SURROGATE }),
      'caseRef',
    ],
    [
      'a carriage return in one of the institutions',
      () => manager,
      '/v1/teams',
      teamBody({ institutions: ['Prison Tirana 313', CARRIAGE_RETURN] }),
      'institutions',
    ],
    [
      'a NUL in an override justification',
      () => manager,
      `/v1/teams/${SOME_ID}/members`,
      { staffId: SOME_ID, teamRole: 'psychologist', override: { justification: NUL } },
      'override.justification',
    ],
    [
      'text not in NFC in a dissolve reason',
      () => manager,
      `/v1/teams/${SOME_ID}/dissolve`,
      { reason: NOT_NFC },
      'reason',
    ],
    [
      'a NUL in an evidence issuer',
      () => coordinator,
      `/v1/staff/${SOME_ID}/certifications`,
      award({ issuer: NUL }),
      'evidence.issuer',
    ],
    [
      'a lone surrogate in an evidence reference',
      () => coordinator,
      `/v1/staff/${SOME_ID}/certifications`,
      award({ reference: LONE_SURROGATE }),
      'evidence.reference',
    ],
    [
      'a control character in a session location',
      () => coordinator,
      '/v1/sessions',
      {
        programmeId: SOME_ID,
        startsAt: '2027-03-01T08:00:00Z',
        endsAt: '2027-03-02T16:00:00Z',
        location: CONTROL,
        jurisdictions: ['AL'],
        agencies: ['prison'],
        trainers: [SOME_ID],
        capacity: 10,
      },
      'location',
    ],
    [
      'a NUL in a programme methodology',
      () => coordinator,
      '/v1/programmes',
      {
        title: 'Dynamic security',
        competencies: [{ competency: 'dynamic-security', level: 'awareness' }],
        kind: 'awareness',
        hours: 8,
        methodology: NUL,
      },
      'methodology',
    ],
    [
      'a lone surrogate in a framework title',
      () => admin,
      '/v1/frameworks',
      { version: 'v9', title: LONE_SURROGATE },
      'title',
    ],
    [
      'a NUL in a lapse acknowledgement note',
      () => manager,
      `/v1/lapses/${SOME_ID}/acknowledge`,
      { note: NUL },
      'note',
    ],
  ];

  it('refuses text that is not plain text with 400 COMMAND.TEXT_NOT_PLAIN naming the field, writing nothing', async () => {
    const head = await world.fixtures.head();
    const events = await world.eventCount();
    for (const [what, caller, path, body, field] of refusals) {
      const response = await request(server).post(path).set('Authorization', caller()).send(body);
      expect([what, response.status, response.body.code, response.body.field]).toEqual([
        what,
        400,
        'COMMAND.TEXT_NOT_PLAIN',
        field,
      ]);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.detail).toContain(`${field}`);
      expect(response.body.detail).toContain('must be plain text');
    }
    expect(await world.fixtures.head()).toBe(head);
    expect(await world.eventCount()).toBe(events);
  });

  it('accepts tab, newline and text in any script (Albanian, Serbian Cyrillic)', async () => {
    const registered = await request(server)
      .post('/v1/staff')
      .set('Authorization', manager)
      .send(
        registration({
          institution: 'Drejtoria e Përgjithshme e Burgjeve, Durrës',
          name: 'Јелена Петровић',
          employeeRef: 'AL-PT-0001',
          reason: 'Regjistruar nga dosjet:\n\tshënim',
        }),
      )
      .expect(201);
    const staffId = registered.body.id as string;
    const read = await request(server).get(`/v1/staff/${staffId}`).set('Authorization', manager).expect(200);
    expect(read.body).toMatchObject({
      institution: 'Drejtoria e Përgjithshme e Burgjeve, Durrës',
      name: 'Јелена Петровић',
    });
    await request(server)
      .post(`/v1/staff/${staffId}/transfers`)
      .set('Authorization', manager)
      .send({ institution: 'Завод за извршење кривичних санкција\nНиш\tзграда 2' })
      .expect(200);
    await request(server)
      .post('/v1/teams')
      .set('Authorization', manager)
      .send(
        teamBody({
          name: 'MDT Shkodër\n\tçështja 7',
          caseRef: 'ÇËSHTJA-7',
          institutions: ['Burgu i Shkodrës', 'Окружни затвор Нови Сад'],
        }),
      )
      .expect(201);
  });
});

describe('text recorded before the rule', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let manager: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL']);
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
  });
  afterAll(async () => subject?.close());
  const server = (): Server => world.server;

  it('never freezes a read model: it is projected with U+FFFD, and the projections move on', async () => {
    const teamId = randomUUID();
    const correlationId = randomUUID();
    const metadata = {
      correlationId,
      causationId: correlationId,
      actor: { sub: 'mgr-legacy', roles: ['manager'], jurisdictions: ['AL'] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    };
    // Straight into the store, as a release without the rule recorded them.
    await world.store.append(
      teamStream(teamId),
      [
        {
          eventId: randomUUID(),
          type: 'TeamFormed',
          data: {
            teamId,
            name: 'MDT\u0000Podgorica',
            jurisdiction: 'AL',
            institutions: [NUL, LONE_SURROGATE],
            kind: 'joint',
            caseRef: 'CASE-\udc00-7',
            requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
          },
          metadata,
        },
        { eventId: randomUUID(), type: 'TeamDissolved', data: { teamId, reason: 'Closed\u0000' }, metadata },
      ],
      { expectedRevision: 'no_stream' },
    );
    const listed = await eventually(server(), '/v1/teams?status=dissolved', manager, (body) =>
      (body.items ?? []).some((team) => (team as { teamId: string }).teamId === teamId),
    );
    expect(listed.body.items.find((team: { teamId: string }) => team.teamId === teamId)).toMatchObject({
      name: 'MDT\uFFFDPodgorica',
      institutions: ['Prison\uFFFDPodgorica', 'Zatvor \uFFFD Spuž'],
      caseRef: 'CASE-\uFFFD-7',
      status: 'dissolved',
    });

    // The projections moved past those events: a team formed afterwards is listed too, and every
    // read model has caught up with the log, none of them failing.
    const later = await request(server())
      .post('/v1/teams')
      .set('Authorization', manager)
      .send({
        name: 'MDT Podgorica',
        jurisdiction: 'AL',
        institutions: ['Prison Podgorica'],
        kind: 'joint',
        caseRef: 'CASE-8',
        requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
      })
      .expect(201);
    await eventually(server(), '/v1/teams', manager, (body) =>
      (body.items ?? []).some((team) => (team as { teamId: string }).teamId === later.body.id),
    );
    const worker = subject.app.get(ProjectionWorker, { strict: false });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const lag = await worker.measure();
      const behind = lag.filter((runner) => (runner.lagEvents ?? 0) > 0 || runner.state === 'failed');
      if (behind.length === 0) break;
      if (Date.now() > deadline) throw new Error(`read models behind: ${JSON.stringify(behind)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(worker.runners.map((runner) => runner.status().error)).toEqual(worker.runners.map(() => null));
  });
});
