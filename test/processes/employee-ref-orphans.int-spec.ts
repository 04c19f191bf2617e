import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { handleCommand } from '@cadre/command-handling';
import {
  ORPHANED_RESERVATION_REASON,
  employeeRefDecider,
  employeeRefStream,
  staffStream,
} from '@cadre/domain';
import { PostgresEventStore, type EventStore } from '@cadre/event-store';
import { ManualClock } from '@cadre/kernel';
import {
  EMPLOYEE_REF_ORPHANS,
  OrphanedReservationSweeper,
  employeeRefOrphansProcess,
  sweepOrphanedReservations,
  type OrphanedReservation,
  type ProcessDependencies,
} from '@cadre/processes';
import { ProjectionRunner, SharedConnectionLeases, readCheckpoint } from '@cadre/subscriptions';
import { EsdbEventStore } from '../../libs/event-store/src/esdb/esdb-event-store.js';
import { EsdbTestDouble } from '../event-store/esdb-test-double/esdb-test-double.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(60_000);

const GRACE_SECONDS = 900;
const MANAGER = { sub: 'mgr', roles: ['manager'], jurisdictions: ['AL'] };

/** The store under the process: PostgreSQL, or the EventStoreDB protocol test double. */
const adapters: {
  name: string;
  open(url: string): Promise<{ store: EventStore; close(): Promise<void> }>;
}[] = [
  {
    name: 'PostgreSQL',
    open: async (url) => {
      const store = await PostgresEventStore.connect({ connectionString: url });
      return { store, close: () => store.close() };
    },
  },
  {
    name: 'EventStoreDB (protocol test double)',
    open: async () => {
      const double = await EsdbTestDouble.start();
      const store = EsdbEventStore.connect(double.connectionString);
      return {
        store,
        close: async () => {
          await store.close();
          await double.stop();
        },
      };
    },
  },
];

describe.each(adapters)('employeeRef orphans on $name', (adapter) => {
  let database: TestDatabase;
  let store: EventStore;
  let closeStore: () => Promise<void>;
  let pool: pg.Pool;
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  let deps: ProcessDependencies;
  let runner: ProjectionRunner | null = null;
  const runners: ProjectionRunner[] = [];
  const leaseConnections: SharedConnectionLeases[] = [];

  /** A worker of its own: its runner of the process and its sweeper, on a lease connection of its own. */
  const startWorker = (): OrphanedReservationSweeper => {
    const leases = new SharedConnectionLeases(database.url);
    leaseConnections.push(leases);
    runner = new ProjectionRunner(store, pool, database.url, employeeRefOrphansProcess(deps), {
      leases,
      leaseRetryMs: 100,
    });
    runner.start();
    runners.push(runner);
    return new OrphanedReservationSweeper(pool, leases, deps, GRACE_SECONDS);
  };
  const stopWorker = async (): Promise<void> => {
    await runner?.stop();
    runner = null;
  };

  beforeAll(async () => {
    database = await createTestDatabase('orphans');
    ({ store, close: closeStore } = await adapter.open(database.url));
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    deps = { store, now: () => clock.now() };
  });
  afterAll(async () => {
    for (const one of runners) await one.stop();
    for (const leases of leaseConnections) await leases.close();
    await pool?.end();
    await closeStore?.();
    await database?.drop();
  });

  const refStream = (refKey: string) => employeeRefStream('AL', refKey);
  /** The first step of a registration: the reference reserved for `staffId`, now by the clock. */
  const reserve = async (refKey: string, staffId: string) =>
    handleCommand(
      store,
      {
        stream: refStream(refKey),
        decider: employeeRefDecider,
        command: { type: 'ReserveEmployeeRef', data: { jurisdiction: 'AL', refKey, staffId } },
      },
      { actor: MANAGER, correlationId: randomUUID(), now: () => clock.now() },
    );
  /** The second step: the staff stream created (its first event is all the process looks at). */
  const createStaffStream = async (staffId: string) => {
    await store.append(
      staffStream(staffId),
      [
        {
          eventId: randomUUID(),
          type: 'StaffMemberRegistered',
          data: { staffId, agency: 'probation', jurisdiction: 'AL', institution: 'Tirana', role: 'trainer' },
          metadata: {
            correlationId: randomUUID(),
            causationId: null,
            actor: MANAGER,
            occurredAt: clock.now().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  };
  /** The process has applied the last event of `stream`. */
  const caughtUp = async (stream: string): Promise<void> => {
    const head = (await store.readStream(stream)).at(-1)?.position ?? null;
    for (let i = 0; i < 1500; i += 1) {
      const checkpoint = await readCheckpoint(pool, EMPLOYEE_REF_ORPHANS).catch(() => null);
      if (checkpoint?.position && head && store.comparePositions(checkpoint.position, head) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the orphans process did not catch up');
  };
  /** What a sweep did to the reservations of `staffIds` (the earlier tests' stay in the log). */
  const of = (swept: readonly OrphanedReservation[], ...staffIds: string[]) =>
    swept.filter((one) => staffIds.includes(one.staffId));
  const types = async (refKey: string) => (await store.readStream(refStream(refKey))).map((e) => e.type);

  it('releases a reservation whose staff stream is still absent after the grace period, with the reason', async () => {
    const sweeper = startWorker();
    const staffId = randomUUID();
    const reserved = (await reserve('key-1', staffId)).events[0];
    await caughtUp(refStream('key-1'));

    clock.advance((GRACE_SECONDS - 1) * 1000);
    expect(of(await sweeper.sweep(), staffId)).toEqual([]);
    expect(await types('key-1')).toEqual(['EmployeeRefReserved']);

    clock.advance(2000);
    expect(of(await sweeper.sweep(), staffId)).toEqual([
      {
        jurisdiction: 'AL',
        staffId,
        reservedAt: expect.any(String),
        ageSeconds: GRACE_SECONDS + 1,
        outcome: 'released',
      },
    ]);
    const [, release] = await store.readStream(refStream('key-1'));
    expect(release).toMatchObject({
      type: 'EmployeeRefReleased',
      data: { jurisdiction: 'AL', refKey: 'key-1', staffId },
      metadata: {
        reason: ORPHANED_RESERVATION_REASON,
        actor: { sub: `process:${EMPLOYEE_REF_ORPHANS}` },
        causationId: (reserved as { eventId: string }).eventId,
      },
    });

    // The reference is free: another registration takes it; nothing more is released.
    const next = randomUUID();
    await reserve('key-1', next);
    await caughtUp(refStream('key-1'));
    expect(of(await sweeper.sweep(), staffId, next)).toEqual([]);
    expect(await types('key-1')).toEqual([
      'EmployeeRefReserved',
      'EmployeeRefReleased',
      'EmployeeRefReserved',
    ]);
    await stopWorker();
  });

  it('reports an orphan without releasing it when asked only for a report', async () => {
    const sweeper = startWorker();
    const staffId = randomUUID();
    await reserve('key-2', staffId);
    await caughtUp(refStream('key-2'));
    clock.advance((GRACE_SECONDS + 5) * 1000);
    const report = await sweepOrphanedReservations(deps, pool, {
      graceSeconds: GRACE_SECONDS,
      release: false,
    });
    expect(of(report, staffId)).toEqual([expect.objectContaining({ jurisdiction: 'AL', outcome: 'orphan' })]);
    expect(await types('key-2')).toEqual(['EmployeeRefReserved']);
    expect(of(await sweeper.sweep(), staffId).map((one) => one.outcome)).toEqual(['released']);
    await stopWorker();
  });

  it('remembers a pending reservation across a restart of the worker', async () => {
    startWorker();
    const staffId = randomUUID();
    await reserve('key-3', staffId);
    await caughtUp(refStream('key-3'));
    await stopWorker();

    clock.advance((GRACE_SECONDS + 1) * 1000);
    const restarted = startWorker();
    expect(of(await restarted.sweep(), staffId).map((one) => [one.staffId, one.outcome])).toEqual([
      [staffId, 'released'],
    ]);
    expect(await types('key-3')).toEqual(['EmployeeRefReserved', 'EmployeeRefReleased']);
    await stopWorker();
  });

  it('never releases a reservation whose registration completed late, even before the process saw it', async () => {
    startWorker();
    const staffId = randomUUID();
    await reserve('key-4', staffId);
    await caughtUp(refStream('key-4'));
    await stopWorker();

    // The staff stream is created past the grace period, while the process is behind: its table
    // still says pending, the stream says otherwise.
    clock.advance((GRACE_SECONDS + 60) * 1000);
    await createStaffStream(staffId);
    const sweeper = new OrphanedReservationSweeper(pool, leaseConnections[0]!, deps, GRACE_SECONDS);
    expect(of(await sweeper.sweep(), staffId).map((one) => one.outcome)).toEqual(['registered']);
    expect(await types('key-4')).toEqual(['EmployeeRefReserved']);

    // Once the process sees the registration, the reservation is held for good.
    const caughtUpSweeper = startWorker();
    await caughtUp(staffStream(staffId));
    expect(of(await caughtUpSweeper.sweep(), staffId)).toEqual([]);
    expect(await types('key-4')).toEqual(['EmployeeRefReserved']);
    await stopWorker();
  });

  it('gives the reservation back to a registration that completes after its release', async () => {
    const sweeper = startWorker();
    const staffId = randomUUID();
    await reserve('key-5', staffId);
    await caughtUp(refStream('key-5'));
    clock.advance((GRACE_SECONDS + 1) * 1000);
    expect(of(await sweeper.sweep(), staffId).map((one) => one.outcome)).toEqual(['released']);

    await createStaffStream(staffId);
    const registered = (await store.readStream(staffStream(staffId)))[0]!;
    await caughtUp(staffStream(staffId));
    const events = await store.readStream(refStream('key-5'));
    expect(events.map((e) => e.type)).toEqual([
      'EmployeeRefReserved',
      'EmployeeRefReleased',
      'EmployeeRefReserved',
    ]);
    expect(events[2]).toMatchObject({
      data: { staffId },
      metadata: { causationId: registered.eventId },
    });
    await stopWorker();
  });
});
