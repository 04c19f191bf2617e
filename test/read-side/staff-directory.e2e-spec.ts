import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld, type StaffWorld } from '../api/support/staff-world.js';
import { eventually } from './team-audit.fixtures.js';

describe('GET /v1/staff (the staff directory)', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let managerAL: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL', 'RS']);
    managerAL = await world.bearer(['manager'], ['AL'], 'mgr-al');
    const admin = await world.bearer(['admin'], ['*'], 'admin');
    const people = [
      registration({ name: 'Ana Hoxha', email: 'ana@example.org', employeeRef: 'AL-PRB-0001' }),
      registration({
        name: 'Besnik Dervishi',
        email: 'besnik@example.org',
        employeeRef: 'AL-PRS-0002',
        agency: 'prison',
        institution: 'Fushë-Krujë prison',
        role: 'front-line-security-officer',
      }),
      registration({ name: 'Clara Hoxha', email: 'clara@example.org', employeeRef: 'AL-PRB-0003' }),
      registration({
        name: 'Dragan Petrović',
        email: 'dragan@example.org',
        employeeRef: 'RS-PRB-0001',
        jurisdiction: 'RS',
        institution: 'Belgrade probation',
      }),
    ];
    for (const person of people) {
      const reply = await request(world.server)
        .post('/v1/staff')
        .set('Authorization', admin)
        .send(person)
        .expect(201);
      ids[person.name as string] = reply.body.id;
    }
    await eventually(world.server, '/v1/staff', admin, (body) => body.items?.length === 4);
  });
  afterAll(async () => subject?.close());

  const get = (query: string, authorization = managerAL) =>
    request(world.server).get(`/v1/staff${query}`).set('Authorization', authorization);

  it("lists the caller's jurisdictions only, by name, with unsealed personal data", async () => {
    const { body } = await get('').expect(200);
    expect(body.items.map((item: { name: string }) => item.name)).toEqual([
      'Ana Hoxha',
      'Besnik Dervishi',
      'Clara Hoxha',
    ]);
    expect(body.items[0]).toEqual({
      staffId: ids['Ana Hoxha'],
      name: 'Ana Hoxha',
      email: 'ana@example.org',
      employeeRef: 'AL-PRB-0001',
      agency: 'probation',
      jurisdiction: 'AL',
      institution: 'Tirana probation office',
      role: 'probation-officer',
      status: 'active',
      registeredAt: expect.any(String),
      leftAt: null,
    });
    expect(body.nextCursor).toBeNull();
  });

  it('searches name or employeeRef case-insensitively and filters by placement', async () => {
    const names = async (query: string) =>
      (await get(query).expect(200)).body.items.map((item: { name: string }) => item.name);
    expect(await names('?q=hOXha')).toEqual(['Ana Hoxha', 'Clara Hoxha']);
    expect(await names('?q=prs-00')).toEqual(['Besnik Dervishi']);
    expect(await names('?agency=prison')).toEqual(['Besnik Dervishi']);
    expect(await names('?role=probation-officer&institution=Tirana%20probation%20office')).toEqual([
      'Ana Hoxha',
      'Clara Hoxha',
    ]);
    expect(await names('?q=%25')).toEqual([]);
  });

  it('pages with an opaque cursor and refuses a malformed one, naming it', async () => {
    const first = await get('?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await get(`?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items.map((item: { name: string }) => item.name)).toEqual(['Clara Hoxha']);
    expect(second.body.nextCursor).toBeNull();
    const bad = await get('?cursor=not-a-cursor').expect(400);
    expect(bad.body).toMatchObject({ code: 'QUERY.INVALID_PARAMETER', parameter: 'cursor' });
  });

  it('forbids another jurisdiction (403) and roles other than manager or admin', async () => {
    const refused = await get('?jurisdiction=RS').expect(403);
    expect(refused.body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    await get('', await world.bearer(['auditor'], ['AL'])).expect(403);
    const regional = await get('?jurisdiction=RS', await world.bearer(['manager'], ['*'])).expect(200);
    expect(regional.body.items.map((item: { name: string }) => item.name)).toEqual(['Dragan Petrović']);
  });

  it('exports CSV with the times stated as UTC in the header row', async () => {
    const csv = await get('?q=hoxha').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'staffId,name,email,employeeRef,agency,jurisdiction,institution,role,status,registeredAt (UTC),leftAt (UTC)',
    );
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['Ana Hoxha', 'Clara Hoxha']);
    // Answered once: no second reply attempted (Fastify logs FST_ERR_REP_ALREADY_SENT, with the
    // request's URL and its query — search terms are personal data).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = JSON.stringify(subject.logs);
    expect(logged).not.toContain('FST_ERR_REP_ALREADY_SENT');
    expect(logged).not.toContain('hoxha');
  });

  it('keeps in the access log the staff ids each read gave, an export once it has streamed', async () => {
    const reader = await world.bearer(['manager'], ['AL'], 'directory-reader');
    const admin = await world.bearer(['admin'], ['*'], 'admin');
    await get('?q=hoxha', reader).expect(200);
    await get('?limit=2', reader).expect(200);
    await get('?q=hoxha', reader).set('Accept', 'text/csv').expect(200);
    await get('?status=unknown', reader).expect(400);
    await request(world.server)
      .get(`/v1/staff/${ids['Besnik Dervishi']}`)
      .set('Authorization', reader)
      .expect(200);
    const entries = async () =>
      (
        await request(world.server)
          .get('/v1/audit/access-log?actor=directory-reader')
          .set('Authorization', admin)
      ).body.entries as { parameters: string[]; returned: unknown }[];
    // The export's entry is completed once its rows have streamed: moments after the answer.
    for (let i = 0; i < 50 && (await entries())[2]?.returned === null; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const hoxhas = [ids['Ana Hoxha'], ids['Clara Hoxha']];
    // Newest first: the person read, the refused read (nothing), the export, the page, the search.
    expect((await entries()).map(({ parameters, returned }) => ({ parameters, returned }))).toEqual([
      { parameters: [], returned: { count: 1, staffIds: [ids['Besnik Dervishi']], teamIds: [] } },
      { parameters: ['status'], returned: null },
      { parameters: ['q'], returned: { count: 2, staffIds: hoxhas, teamIds: [] } },
      {
        parameters: ['limit'],
        returned: { count: 2, staffIds: [ids['Ana Hoxha'], ids['Besnik Dervishi']], teamIds: [] },
      },
      { parameters: ['q'], returned: { count: 2, staffIds: hoxhas, teamIds: [] } },
    ]);
  });

  it('shows "erased" once the personal data is erased, and the departure', async () => {
    const id = ids['Clara Hoxha']!;
    await request(world.server)
      .delete(`/v1/staff/${id}/personal-data`)
      .set('Authorization', managerAL)
      .expect(200);
    await request(world.server)
      .post(`/v1/staff/${id}/departure`)
      .set('Authorization', managerAL)
      .send({})
      .expect(200);
    const { body } = await eventually(
      world.server,
      '/v1/staff?status=left',
      managerAL,
      (b) => b.items?.length === 1,
    );
    expect(body.items[0]).toMatchObject({
      staffId: id,
      name: 'erased',
      email: 'erased',
      employeeRef: 'erased',
      status: 'left',
    });
    expect((await get('?q=clara').expect(200)).body.items).toEqual([]);
  });
});
