import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { addMonths } from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { LAPSE_PROCESS, RECONCILIATION_REASON, reconcileStandings } from '@cadre/processes';
import { readCheckpoint } from '@cadre/subscriptions';
import { PG_POOL } from '@cadre/command-handling/nest';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** A validFrom whose 24-month validity (the sample's) ends at `until`. */
const validFromEndingAt = (until: number) => addMonths(iso(until), -24);

/**
 * Issue 10: one qualification rule. Each numbered case of the introduction, over HTTP and
 * through the worker's standing process, as a probation manager meets it.
 */
describe('one qualification rule: assignment, readiness and the standing process agree', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let ana: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    ana = `Bearer ${await subject.token({ sub: 'ana', roles: ['manager'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => subject?.close());

  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', ana).send(body);
  const form = async (kind = 'probation', roles = ['probation-officer']) =>
    (
      await post('/v1/teams', {
        name: 'MDT case 7781',
        jurisdiction: 'AL',
        institutions: ['Probation office Tirana'],
        kind,
        caseRef: 'CASE-7781',
        requiredDisciplines: roles.map((role) => ({ role, minCount: 1 })),
      }).expect(201)
    ).body.id as string;
  const assign = (teamId: string, staffId: string, extra: object = {}) =>
    post(`/v1/teams/${teamId}/members`, { staffId, teamRole: 'probation-officer', ...extra });
  const team = async (teamId: string) =>
    (await request(server).get(`/v1/teams/${teamId}`).set('Authorization', ana).expect(200)).body;
  const events = async (teamId: string, type: string) =>
    (await fixtures.store.readStream(`team-${teamId}`)).filter((e) => e.type === type);
  /** Waits until the team's stream satisfies `until` (the worker's processes run in the app). */
  const eventually = async (teamId: string, until: (all: RecordedEvent[]) => boolean) => {
    for (let i = 0; i < 200; i += 1) {
      const all = await fixtures.store.readStream(`team-${teamId}`);
      if (until(all)) return all;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`team-${teamId} never got there`);
  };
  /**
   * The standing process has handled everything before this: a marker member on the team has a
   * certificate revoked, and their lapse is recorded after every earlier event's review.
   */
  const settled = async (teamId: string) => {
    const marker = await fixtures.staff();
    const certificationId = await fixtures.certify(marker, 'radicalisation-awareness', 'specialised');
    await assign(teamId, marker).expect(200);
    await fixtures.revoke(marker, certificationId);
    await eventually(teamId, (all) =>
      all.some((e) => e.type === 'MemberLapsed' && (e.data as { staffId: string }).staffId === marker),
    );
    return marker;
  };
  const lapsesOf = async (teamId: string, staffId: string) =>
    (await events(teamId, 'MemberLapsed')).filter((e) => (e.data as { staffId: string }).staffId === staffId);
  const tick = () => subject.app.get(ProcessManagerWorker).tick();

  it('case 1: an expiring certificate another one covers, or one the role does not require, lapses nobody', async () => {
    const officer = await fixtures.staff();
    await fixtures.certify(officer, 'radicalisation-awareness', 'specialised');
    // An older awareness certificate of the same competency, ending in a second.
    await fixtures.certify(
      officer,
      'radicalisation-awareness',
      'awareness',
      validFromEndingAt(Date.now() + 1000),
    );
    const dynamic = await fixtures.certify(officer, 'dynamic-security', 'awareness');
    const teamId = await form();
    await assign(teamId, officer).expect(200);
    await post(`/v1/teams/${teamId}/operational`, {}).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await tick();
    await fixtures.revoke(officer, dynamic);
    await settled(teamId);
    expect(await lapsesOf(teamId, officer)).toEqual([]);
    const body = await team(teamId);
    expect(body.members[officer]).toMatchObject({
      standing: { status: 'qualified' },
      now: { qualified: true, unmet: [] },
    });
  });

  it('case 2: an assignment back-dated to when the certificate was valid lapses from its validUntil', async () => {
    const officer = await fixtures.staff({ registeredAt: iso(Date.now() - 3 * DAY) });
    const validUntil = Date.now() - HOUR;
    await fixtures.certify(officer, 'radicalisation-awareness', 'specialised', validFromEndingAt(validUntil));
    const teamId = await form();
    await assign(teamId, officer, {
      occurredAt: iso(Date.now() - 2 * DAY),
      reason: 'Assigned on paper while the system was down',
    }).expect(200);
    const [lapse] = await eventually(teamId, (all) => all.some((e) => e.type === 'MemberLapsed')).then(
      (all) => all.filter((e) => e.type === 'MemberLapsed'),
    );
    expect(lapse!.data).toMatchObject({ staffId: officer, cause: 'expired', since: iso(validUntil) });
    const refused = await post(`/v1/teams/${teamId}/operational`, {}).expect(422);
    expect(refused.body.code).toBe('TEAM.NOT_READY');
  });

  it('case 3: assignments racing the revocation of the member’s only certificate all end lapsed or refused', async () => {
    const teamId = await form();
    const outcomes: { staffId: string; assigned: boolean }[] = [];
    for (let i = 0; i < 20; i += 1) {
      const staffId = await fixtures.staff();
      const certificationId = await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
      const [assigned] = await Promise.all([
        assign(teamId, staffId),
        fixtures.revoke(staffId, certificationId),
      ]);
      expect([200, 422]).toContain(assigned.status);
      outcomes.push({ staffId, assigned: assigned.status === 200 });
    }
    const serving = outcomes.filter((o) => o.assigned).map((o) => o.staffId);
    await eventually(teamId, (all) =>
      serving.every((staffId) =>
        all.some((e) => e.type === 'MemberLapsed' && (e.data as { staffId: string }).staffId === staffId),
      ),
    );
    const body = await team(teamId);
    for (const staffId of serving) {
      expect(body.members[staffId]).toMatchObject({ standing: { status: 'lapsed', cause: 'revoked' } });
    }
    expect(body.readiness.missing).toEqual([{ role: 'probation-officer', required: 1, present: 0 }]);
  });

  it('case 5: readiness and declaring operational follow the clock before any lapse is recorded', async () => {
    const officer = await fixtures.staff();
    await fixtures.certify(
      officer,
      'radicalisation-awareness',
      'specialised',
      validFromEndingAt(Date.now() + 1500),
    );
    const teamId = await form();
    await assign(teamId, officer).expect(200);
    expect((await team(teamId)).readiness.missing).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    // No tick: no CertificationExpired, no lapse recorded yet; the clock alone has moved.
    expect(await events(teamId, 'MemberLapsed')).toEqual([]);
    const body = await team(teamId);
    expect(body.readiness.missing).toEqual([{ role: 'probation-officer', required: 1, present: 0 }]);
    expect(body.members[officer].now).toMatchObject({ qualified: false });
    expect((await post(`/v1/teams/${teamId}/operational`, {}).expect(422)).body.code).toBe('TEAM.NOT_READY');
    // The expiry notice, when the schedule sends it, records the lapse from validUntil.
    await tick();
    await eventually(teamId, (all) => all.some((e) => e.type === 'MemberLapsed'));
    expect((await lapsesOf(teamId, officer))[0]!.data).toMatchObject({ cause: 'expired' });
  });

  it('case 6: a departure or a transfer lapses the member, and an operational team records it lost its readiness', async () => {
    const [leaver, mover] = [await fixtures.staff(), await fixtures.staff()];
    for (const staffId of [leaver, mover])
      await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
    const teamId = await form();
    await assign(teamId, leaver).expect(200);
    await assign(teamId, mover).expect(200);
    await post(`/v1/teams/${teamId}/operational`, {}).expect(200);
    await fixtures.leaves(leaver);
    await fixtures.transfer(mover, { jurisdiction: 'RS', institution: 'Probation office Belgrade' });
    const all = await eventually(teamId, (e) => e.some((x) => x.type === 'TeamReadinessLost'));
    const lapses = all.filter((e) => e.type === 'MemberLapsed').map((e) => e.data);
    expect(lapses).toEqual([
      expect.objectContaining({ staffId: leaver, cause: 'left', detail: 'they have left the service' }),
      expect.objectContaining({ staffId: mover, cause: 'transferred', detail: 'they work in RS, not AL' }),
    ]);
    expect((await team(teamId)).status).toBe('forming');
    // The inbox (a read model) follows within moments.
    for (let i = 0; i < 100; i += 1) {
      const inbox = await request(server).get('/v1/lapses?limit=200').set('Authorization', ana).expect(200);
      const lost = inbox.body.items.find(
        (item: { teamId: string; kind: string }) => item.teamId === teamId && item.kind === 'readiness-lost',
      );
      if (lost) {
        expect(lost).toMatchObject({
          cause: 'readiness-lost',
          unmet: { missing: [{ role: 'probation-officer' }] },
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the inbox never showed the lost readiness');
  });

  it('requalifies a lapsed member who is certified again, and closes the inbox item', async () => {
    const officer = await fixtures.staff();
    const certificationId = await fixtures.certify(officer, 'radicalisation-awareness', 'specialised');
    const teamId = await form();
    await assign(teamId, officer).expect(200);
    await fixtures.revoke(officer, certificationId);
    await eventually(teamId, (all) => all.some((e) => e.type === 'MemberLapsed'));
    await fixtures.certify(officer, 'radicalisation-awareness', 'expert', iso(Date.now() - HOUR));
    const [requalified] = (
      await eventually(teamId, (all) => all.some((e) => e.type === 'MemberRequalified'))
    ).filter((e) => e.type === 'MemberRequalified');
    expect(requalified!.data).toMatchObject({ staffId: officer, teamRole: 'probation-officer' });
    expect((await team(teamId)).members[officer].standing.status).toBe('qualified');
    for (let i = 0; i < 100; i += 1) {
      const { body } = await request(server).get('/v1/lapses').set('Authorization', ana).expect(200);
      const item = body.items.find((x: { teamId: string }) => x.teamId === teamId);
      if (item?.requalifiedAt) {
        expect(item).toMatchObject({
          staffId: officer,
          cause: 'revoked',
          competency: 'radicalisation-awareness',
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the inbox item was never closed');
  });

  it('the reconciliation at deploy requalifies a member the old process lapsed falsely, with its reason, once', async () => {
    const officer = await fixtures.staff();
    await fixtures.certify(officer, 'radicalisation-awareness', 'specialised');
    const older = await fixtures.certify(officer, 'radicalisation-awareness', 'awareness');
    const teamId = await form();
    await assign(teamId, officer).expect(200);
    await settled(teamId);
    // What the old lapse process wrote for an awareness certificate the role did not need.
    await fixtures.store.append(`team-${teamId}`, [
      {
        eventId: randomUUID(),
        type: 'MemberQualificationLapsed',
        data: { teamId, staffId: officer, certificationId: older, cause: 'expired' },
        metadata: {
          correlationId: randomUUID(),
          causationId: null,
          actor: { sub: 'process:process-qualification-lapse', roles: ['system'], jurisdictions: ['*'] },
          occurredAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);
    expect((await team(teamId)).members[officer].standing).toMatchObject({
      status: 'lapsed',
      cause: 'expired',
    });
    const pool = subject.app.get<pg.Pool>(PG_POOL);
    const now = () => new Date();
    const dry = await reconcileStandings(fixtures.store, pool, { now, dryRun: true });
    expect(dry.changes).toEqual(
      expect.arrayContaining([{ teamId, staffId: officer, type: 'MemberRequalified' }]),
    );
    expect(await events(teamId, 'MemberRequalified')).toEqual([]);
    const first = await reconcileStandings(fixtures.store, pool, { now });
    expect(first.changes).toEqual(
      expect.arrayContaining([{ teamId, staffId: officer, type: 'MemberRequalified' }]),
    );
    const [requalified] = await events(teamId, 'MemberRequalified');
    expect(requalified!.metadata.reason).toBe(RECONCILIATION_REASON);
    expect((await team(teamId)).members[officer].standing.status).toBe('qualified');
    expect((await reconcileStandings(fixtures.store, pool, { now })).changes).toEqual([]);
  });

  it('a new jurisdiction requirement: a dry run names who would lapse and writes nothing; recorded, it lapses them (requirement-added)', async () => {
    const coordinator = `Bearer ${await subject.token({ sub: 'cora', roles: ['training-coordinator'], jurisdictions: ['AL'] })}`;
    const officer = await fixtures.staff();
    await fixtures.certify(officer, 'radicalisation-awareness', 'specialised');
    const teamId = await form();
    await assign(teamId, officer).expect(200);
    const requirement = {
      role: 'probation-officer',
      competency: 'multi-agency-working',
      minLevel: 'awareness',
    };
    const head = await fixtures.head();
    const dry = await request(server)
      .post('/v1/jurisdictions/AL/requirements')
      .set('Authorization', coordinator)
      .send({ ...requirement, dryRun: true })
      .expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, jurisdiction: 'AL' });
    expect(dry.body.wouldLapse).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          teamId,
          staffId: officer,
          cause: 'requirement-added',
          unmet: [expect.objectContaining({ competency: 'multi-agency-working', held: null })],
        }),
      ]),
    );
    expect(await fixtures.head()).toBe(head);
    await request(server)
      .post('/v1/jurisdictions/AL/requirements')
      .set('Authorization', coordinator)
      .send(requirement)
      .expect(200);
    await eventually(teamId, (all) =>
      all.some((e) => e.type === 'MemberLapsed' && (e.data as { staffId: string }).staffId === officer),
    );
    expect((await lapsesOf(teamId, officer))[0]!.data).toMatchObject({ cause: 'requirement-added' });
  });

  it('a requirement recorded to take effect in the future lapses the member at its effectiveFrom, once the schedule notices it took effect', async () => {
    // ME: this test's jurisdiction, so that its future requirement binds no other test's members.
    await fixtures.adopt(['ME']);
    const token = async (sub: string, role: 'manager' | 'training-coordinator') =>
      `Bearer ${await subject.token({ sub, roles: [role], jurisdictions: ['ME'] })}`;
    const [mira, coordinator] = [
      await token('mira', 'manager'),
      await token('vesna', 'training-coordinator'),
    ];
    const institution = 'Probation office Podgorica';
    const officer = await fixtures.staff({ jurisdiction: 'ME', institution });
    await fixtures.certify(officer, 'radicalisation-awareness', 'specialised');
    const teamId = (
      await request(server)
        .post('/v1/teams')
        .set('Authorization', mira)
        .send({
          name: 'MDT case 9120',
          jurisdiction: 'ME',
          institutions: [institution],
          kind: 'probation',
          caseRef: 'CASE-9120',
          requiredDisciplines: [{ role: 'probation-officer', minCount: 1 }],
        })
        .expect(201)
    ).body.id as string;
    await request(server)
      .post(`/v1/teams/${teamId}/members`)
      .set('Authorization', mira)
      .send({ staffId: officer, teamRole: 'probation-officer' })
      .expect(200);
    // Qualified today; from effectiveFrom, ME also requires a certificate the officer lacks.
    const effectiveFrom = iso(Date.now() + 3000);
    await request(server)
      .post('/v1/jurisdictions/ME/requirements')
      .set('Authorization', coordinator)
      .send({
        role: 'probation-officer',
        competency: 'multi-agency-working',
        minLevel: 'awareness',
        effectiveFrom,
      })
      .expect(200);

    // Reviewed when recorded, not in force yet: no lapse, and the tick has nothing due.
    const recorded = (await fixtures.store.readStream('jurisdiction-ME')).at(-1)!;
    const pool = subject.app.get<pg.Pool>(PG_POOL);
    for (let i = 0; ; i += 1) {
      const checkpoint = await readCheckpoint(pool, LAPSE_PROCESS);
      if (
        checkpoint?.position &&
        fixtures.store.comparePositions(checkpoint.position, recorded.position) >= 0
      )
        break;
      if (i > 200) throw new Error('the standing process never reviewed the requirement');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await tick();
    expect(Date.now()).toBeLessThan(Date.parse(effectiveFrom));
    expect(await lapsesOf(teamId, officer)).toEqual([]);
    const notices = async () =>
      (await fixtures.store.readStream('jurisdiction-ME')).filter(
        (e) => e.type === 'JurisdictionRuleTookEffect',
      );
    expect(await notices()).toEqual([]);

    // The clock passes effectiveFrom and the worker ticks: the notice, then the lapse from effectiveFrom.
    await new Promise((resolve) => setTimeout(resolve, Date.parse(effectiveFrom) - Date.now() + 50));
    await tick();
    expect((await notices()).map((e) => e.data)).toEqual([
      { jurisdiction: 'ME', ruleEventId: recorded.eventId, kind: 'requirement', effectiveFrom },
    ]);
    await eventually(teamId, (all) => all.some((e) => e.type === 'MemberLapsed'));
    const lapses = await lapsesOf(teamId, officer);
    expect(lapses.map((e) => e.data)).toEqual([
      expect.objectContaining({
        cause: 'requirement-added',
        since: effectiveFrom,
        unmet: [expect.objectContaining({ competency: 'multi-agency-working', held: null })],
      }),
    ]);
    await tick();
    expect(await notices()).toHaveLength(1);
    for (let i = 0; i < 100; i += 1) {
      const inbox = await request(server).get('/v1/lapses').set('Authorization', mira).expect(200);
      const item = inbox.body.items.find((x: { teamId: string }) => x.teamId === teamId);
      if (item) {
        expect(item).toMatchObject({ staffId: officer, cause: 'requirement-added', since: effectiveFrom });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the inbox never showed the lapse');
  });
});
