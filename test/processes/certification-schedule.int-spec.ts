import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { EVENT_STORE, PostgresEventStore } from '@cadre/event-store';
import { ManualClock } from '@cadre/kernel';
import {
  CertificationScheduleTicker,
  certificationScheduleProjection,
  type ProcessDependencies,
} from '@cadre/processes';
import { ProjectionRunner, SharedConnectionLeases, readCheckpoint } from '@cadre/subscriptions';
import { CadreFixtures, SAMPLE_VERSION } from '../api/support/cadre-fixtures.js';
import type { PlatformTestApp } from '../platform/support/platform-test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const NOTICES = ['RecertificationWindowOpened', 'CertificationExpiryWarned', 'CertificationExpired'];

jest.setTimeout(60_000);

describe('the certification schedule before its runner has started', () => {
  // The runner alone creates the schedule's tables (under the processes' DDL lock): a tick that
  // created them too raced it on the schema (duplicate key on pg_namespace) in the e2e suite.
  it('sends nothing and creates nothing', async () => {
    const database = await createTestDatabase('schedule_early');
    const store = await PostgresEventStore.connect({ connectionString: database.url });
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const leases = new SharedConnectionLeases(database.url);
      const ticker = new CertificationScheduleTicker(pool, leases, { store, now: () => new Date() });
      expect(await ticker.tick()).toEqual({ handled: 0 });
      await leases.close();
      const { rows } = await pool.query<{ found: string | null }>(
        `SELECT to_regnamespace('cadre_processes')::text AS found`,
      );
      expect(rows[0]?.found).toBeNull();
    } finally {
      await pool.end();
      await store.close();
      await database.drop();
    }
  });
});

describe('the certification schedule: windows, warnings and expiries as the clock moves', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let fixtures: CadreFixtures;
  const clock = new ManualClock('2024-03-01T00:00:00.000Z');
  let deps: ProcessDependencies;
  let runner: ProjectionRunner;
  /** Each ticker as a worker of its own: its own lease connection. */
  const workers: SharedConnectionLeases[] = [];
  const newTicker = (): CertificationScheduleTicker => {
    const leases = new SharedConnectionLeases(database.url);
    workers.push(leases);
    return new CertificationScheduleTicker(pool, leases, deps);
  };

  beforeAll(async () => {
    database = await createTestDatabase('schedule');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
    fixtures = CadreFixtures.of({
      app: { get: (token: unknown) => (token === EVENT_STORE ? store : pool) },
    } as unknown as PlatformTestApp);
    await fixtures.sampleFramework(['AL']);
    deps = { store, now: () => clock.now() };
    runner = new ProjectionRunner(store, pool, database.url, certificationScheduleProjection(), {
      leaseRetryMs: 100,
    });
    runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    for (const leases of workers) await leases.close();
    await pool?.end();
    await store?.close();
    await database?.drop();
  });

  /** The schedule projection has applied everything in the log. */
  const settled = (staffId: string): Promise<void> => caughtUp(`staff-${staffId}`);
  const caughtUp = async (stream: string): Promise<void> => {
    // The last event of the stream (all of them are handled or precede a handled one).
    const head = (await store.readStream(stream)).at(-1)?.position ?? null;
    for (let i = 0; i < 1500; i += 1) {
      const checkpoint = await readCheckpoint(pool, 'process-certification-schedule').catch(() => null);
      if (checkpoint?.position && head && store.comparePositions(checkpoint.position, head) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the schedule projection did not catch up');
  };
  const notices = async (staffId: string) =>
    (await store.readStream(`staff-${staffId}`))
      .filter((event) => NOTICES.includes(event.type))
      .map((event) => ({
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        causationId: event.metadata.causationId,
      }));

  it('sends each notice once, when due, in order, also across a restart after downtime', async () => {
    const staffId = await fixtures.staff();
    const certificationId = await fixtures.certify(
      staffId,
      'radicalisation-awareness',
      'specialised',
      '2024-01-01T00:00:00.000Z',
    );
    const award = (await store.readStream(`staff-${staffId}`)).find(
      (e) => e.type === 'CertificationAwarded',
    )!;
    const { validUntil, windowOpensAt } = award.data as { validUntil: string; windowOpensAt: string };
    expect(validUntil).toBe('2026-01-01T00:00:00.000Z');
    await settled(staffId);

    const ticker = newTicker();
    expect((await ticker.tick()).handled).toBe(0);
    expect(await notices(staffId)).toEqual([]);

    // The window opens 60 days before, the warning comes 30 days before.
    clock.set(new Date(Date.parse(windowOpensAt) + 1000));
    expect((await ticker.tick()).handled).toBe(1);
    expect(await notices(staffId)).toEqual([
      { type: 'RecertificationWindowOpened', occurredAt: windowOpensAt, causationId: award.eventId },
    ]);
    expect((await ticker.tick()).handled).toBe(0);

    // A worker off for a year: a new ticker catches up, warning then expiry, each once.
    clock.set('2027-01-01T00:00:00.000Z');
    const restarted = newTicker();
    await restarted.tick();
    await Promise.all([restarted.tick(), ticker.tick()]);
    expect((await notices(staffId)).map((n) => [n.type, n.occurredAt])).toEqual([
      ['RecertificationWindowOpened', windowOpensAt],
      ['CertificationExpiryWarned', '2025-12-02T00:00:00.000Z'],
      ['CertificationExpired', validUntil],
    ]);
    await settled(staffId);
    const { rows } = await pool.query(
      `SELECT kind, done FROM cadre_processes.certification_schedule WHERE certification_id = $1 ORDER BY kind`,
      [certificationId],
    );
    expect(rows).toEqual([
      { kind: 'expiry', done: true },
      { kind: 'warning', done: true },
      { kind: 'window', done: true },
    ]);
  });

  it("gives a voided renewal's schedule back to the period before it, with its notices already sent done", async () => {
    clock.set('2024-03-01T00:00:00.000Z');
    const staffId = await fixtures.staff();
    const certificationId = await fixtures.certify(
      staffId,
      'vep-risk-assessment',
      'specialised',
      '2024-01-01T00:00:00.000Z',
    );
    const stream = () => store.readStream(`staff-${staffId}`);
    const award = (await stream()).find((e) => e.type === 'CertificationAwarded')!;
    const { validUntil, windowOpensAt } = award.data as { validUntil: string; windowOpensAt: string };
    await settled(staffId);
    // The award's window opens; the member renews inside it; the renewal is then found wrong.
    clock.set(new Date(Date.parse(windowOpensAt) + 1000));
    await newTicker().tick();
    const renewedFrom = new Date(Date.parse(windowOpensAt) + 2000).toISOString();
    await fixtures.certify(staffId, 'vep-risk-assessment', 'specialised', renewedFrom);
    const renewal = (await stream()).find((e) => e.type === 'CertificationRenewed')!;
    expect((renewal.data as { certificationId: string }).certificationId).toBe(certificationId);
    await fixtures.voidRecord(staffId, renewal.eventId);
    await settled(staffId);

    // The award's period is current again: its warning and expiry come, its window not twice.
    clock.set('2026-06-01T00:00:00.000Z');
    await newTicker().tick();
    expect((await notices(staffId)).map((n) => [n.type, n.occurredAt, n.causationId])).toEqual([
      ['RecertificationWindowOpened', windowOpensAt, award.eventId],
      ['CertificationExpiryWarned', '2025-12-02T00:00:00.000Z', award.eventId],
      ['CertificationExpired', validUntil, award.eventId],
    ]);
  });

  it('unschedules a certification whose award is voided, after a renewal too', async () => {
    clock.set('2024-03-01T00:00:00.000Z');
    const staffId = await fixtures.staff();
    await fixtures.certify(staffId, 'multi-agency-working', 'awareness', '2024-01-01T00:00:00.000Z');
    await fixtures.certify(staffId, 'multi-agency-working', 'awareness', '2024-02-01T00:00:00.000Z');
    const award = (await store.readStream(`staff-${staffId}`)).find(
      (e) => e.type === 'CertificationAwarded',
    )!;
    await fixtures.voidRecord(staffId, award.eventId);
    await settled(staffId);
    clock.set('2027-06-01T00:00:00.000Z');
    await newTicker().tick();
    expect(await notices(staffId)).toEqual([]);
    // Nothing left to send either: no command refused for a certification that never existed.
    const { rows } = await pool.query(
      `SELECT command, code FROM cadre_processes.refusals WHERE stream = $1`,
      [`staff-${staffId}`],
    );
    expect(rows).toEqual([]);
  });

  it('unschedules a revoked certification: nothing is sent for it', async () => {
    clock.set('2024-03-01T00:00:00.000Z');
    const staffId = await fixtures.staff();
    const certificationId = await fixtures.certify(
      staffId,
      'dynamic-security',
      'awareness',
      '2024-01-01T00:00:00.000Z',
    );
    await fixtures.revoke(staffId, certificationId);
    await settled(staffId);
    clock.set('2027-06-01T00:00:00.000Z');
    await newTicker().tick();
    expect(await notices(staffId)).toEqual([]);
  });

  it('notices a rule recorded ahead of its effectiveFrom once, when the clock reaches it', async () => {
    clock.set('2024-03-01T00:00:00.000Z');
    const adoptedFrom = '2099-01-01T00:00:00.000Z';
    const requiredFrom = '2099-06-01T00:00:00.000Z';
    // ME: this test's jurisdiction. A rule in force when recorded needs no notice.
    await fixtures.adopt(['ME']);
    await fixtures.adopt(['ME'], SAMPLE_VERSION, adoptedFrom);
    const rule = { role: 'probation-officer', minLevel: 'expert' } as const;
    await fixtures.addRequirement('ME', {
      ...rule,
      competency: 'dynamic-security',
      effectiveFrom: requiredFrom,
    });
    await fixtures.addRequirement('ME', { ...rule, competency: 'multi-agency-working' });
    const events = await store.readStream('jurisdiction-ME');
    const [adoption, requirement] = [events[1]!, events[2]!];
    await caughtUp('jurisdiction-ME');
    const ruleNotices = async () =>
      (await store.readStream('jurisdiction-ME'))
        .filter((event) => event.type === 'JurisdictionRuleTookEffect')
        .map(({ data, metadata }) => ({
          data,
          occurredAt: metadata.occurredAt,
          causationId: metadata.causationId,
        }));

    const ticker = newTicker();
    clock.set('2098-12-31T23:59:59.999Z');
    await ticker.tick();
    expect(await ruleNotices()).toEqual([]);

    clock.set(adoptedFrom);
    await ticker.tick();
    const adoptionNotice = {
      data: {
        jurisdiction: 'ME',
        ruleEventId: adoption.eventId,
        kind: 'adoption',
        effectiveFrom: adoptedFrom,
      },
      occurredAt: adoptedFrom,
      causationId: adoption.eventId,
    };
    expect(await ruleNotices()).toEqual([adoptionNotice]);

    // Long after, two tickers at once: the requirement's notice, once, still dated its effectiveFrom.
    clock.set('2100-01-01T00:00:00.000Z');
    await Promise.all([ticker.tick(), newTicker().tick()]);
    expect(await ruleNotices()).toEqual([
      adoptionNotice,
      {
        data: {
          jurisdiction: 'ME',
          ruleEventId: requirement.eventId,
          kind: 'requirement',
          effectiveFrom: requiredFrom,
        },
        occurredAt: requiredFrom,
        causationId: requirement.eventId,
      },
    ]);
    expect((await ticker.tick()).handled).toBe(0);
    await caughtUp('jurisdiction-ME');
    const { rows } = await pool.query(
      `SELECT rule_event_id::text AS id, due_at, done FROM cadre_processes.rule_schedule WHERE jurisdiction = 'ME' ORDER BY due_at`,
    );
    expect(rows).toEqual([
      { id: adoption.eventId, due_at: new Date(adoptedFrom), done: true },
      { id: requirement.eventId, due_at: new Date(requiredFrom), done: true },
    ]);
  });
});
