import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

const DAY = 86_400_000;

describe('GET /v1/audit/assignments', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditor: string;
  let teams: TeamFixtures;
  let teamId: string;
  let qualified: string;
  let unqualified: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    teams = TeamFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    qualified = await fixtures.staff();
    await fixtures.certify(qualified, 'radicalisation-awareness', 'specialised');
    unqualified = await fixtures.staff();
    teamId = await teams.form(manager('m1'));
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId: qualified, teamRole: 'probation-officer' },
    });
    const requested = await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: {
        teamId,
        staffId: unqualified,
        teamRole: 'probation-officer',
        override: { justification: 'Only officer on the case' },
      },
    });
    const overrideId = (requested.events[0]!.data as { overrideId: string }).overrideId;
    await teams.send(manager('m2'), { type: 'ApproveAssignmentOverride', data: { teamId, overrideId } });
    await teams.send(manager('m1'), {
      type: 'ReleaseMember',
      data: { teamId, staffId: unqualified, reason: 'Case reassigned' },
    });
  });
  afterAll(async () => subject?.close());

  it('lists who assigned whom, in which role, on which certifications, overrides with requester and approver', async () => {
    const { body } = await eventually(server, '/v1/audit/assignments', auditor, (b) => b.items?.length === 5);
    expect(body.items.map((item: { kind: string }) => item.kind)).toEqual([
      'assigned',
      'override-requested',
      'override-approved',
      'assigned',
      'released',
    ]);
    const [first, , approved, overridden, released] = body.items;
    expect(first).toMatchObject({
      teamId,
      jurisdiction: 'AL',
      staffId: qualified,
      teamRole: 'probation-officer',
      actedBy: 'm1',
      override: null,
      qualification: [
        expect.objectContaining({ competency: 'radicalisation-awareness', met: true, level: 'specialised' }),
      ],
    });
    expect(approved).toMatchObject({ staffId: unqualified, actedBy: 'm2' });
    expect(overridden.override).toMatchObject({
      requestedBy: 'm1',
      approvedBy: 'm2',
      justification: 'Only officer on the case',
    });
    expect(released).toMatchObject({ staffId: unqualified, reason: 'Case reassigned' });
  });

  it('pages with an opaque cursor and exports CSV with UTC times', async () => {
    const first = await request(server)
      .get('/v1/audit/assignments?limit=2')
      .set('Authorization', auditor)
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await request(server)
      .get(`/v1/audit/assignments?limit=2&cursor=${first.body.nextCursor}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(second.body.items[0].eventId).not.toBe(first.body.items[1].eventId);
    const csv = await request(server)
      .get('/v1/audit/assignments')
      .set('Authorization', auditor)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^occurredAt \(UTC\),recordedAt \(UTC\),jurisdiction/);
    expect(lines).toHaveLength(6);
  });

  it('refuses bad parameters (400 naming them) and other jurisdictions (403); asOf before any data is empty', async () => {
    for (const [query, parameter] of [
      ['asOf=yesterday', 'asOf'],
      ['knownAt=2024-13-01', 'knownAt'],
      ['cursor=not-a-cursor!', 'cursor'],
    ]) {
      const refused = await request(server)
        .get(`/v1/audit/assignments?${query}`)
        .set('Authorization', auditor)
        .expect(400);
      expect(refused.body.parameter ?? refused.body.detail).toContain(parameter);
    }
    await request(server)
      .get('/v1/audit/assignments?jurisdiction=RS')
      .set('Authorization', auditor)
      .expect(403);
    const staffOnly = `Bearer ${await subject.token({ roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    await request(server).get('/v1/audit/assignments').set('Authorization', staffOnly).expect(403);
    const before = await request(server)
      .get('/v1/audit/assignments?asOf=2000-01-01')
      .set('Authorization', auditor)
      .expect(200);
    expect(before.body).toEqual({ items: [], nextCursor: null });
  });

  it('a back-dated assignment changes the answer for its date only from its knownAt on', async () => {
    const fixtures = CadreFixtures.of(subject);
    const late = await fixtures.staff();
    await fixtures.certify(
      late,
      'radicalisation-awareness',
      'specialised',
      new Date(Date.now() - 60 * DAY).toISOString(),
    );
    const beforeRecord = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const occurredAt = new Date(Date.now() - 10 * DAY).toISOString();
    await teams.send(
      manager('m1'),
      { type: 'AssignMember', data: { teamId, staffId: late, teamRole: 'probation-officer' } },
      { occurredAt, reason: 'Recorded late: paper form' },
    );
    const asOf = new Date(Date.now() - 5 * DAY).toISOString();
    const ofLate = (body: { items: { staffId: string }[] }) => body.items.filter((i) => i.staffId === late);
    const now = await eventually(
      server,
      `/v1/audit/assignments?team=${teamId}&asOf=${asOf}`,
      auditor,
      (b) => ofLate(b as never).length === 1,
    );
    expect(ofLate(now.body)[0]).toMatchObject({ occurredAt, reason: 'Recorded late: paper form' });
    const knownBefore = await request(server)
      .get(`/v1/audit/assignments?team=${teamId}&asOf=${asOf}&knownAt=${beforeRecord}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(ofLate(knownBefore.body)).toEqual([]);
    const earlier = await request(server)
      .get(`/v1/audit/assignments?team=${teamId}&asOf=${new Date(Date.now() - 20 * DAY).toISOString()}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(ofLate(earlier.body)).toEqual([]);
  });
});
