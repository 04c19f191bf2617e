import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import type pg from 'pg';
import { PG_POOL } from '@cadre/command-handling/nest';
import { ORPHANED_RESERVATION_REASON } from '@cadre/domain';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { registration, staffWorld, type StaffWorld } from '../api/support/staff-world.js';
import {
  TEST_JWT_SECRET,
  startPlatformTestApp,
  type PlatformTestApp,
} from '../platform/support/platform-test-app.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

const GRACE_SECONDS = 1;
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Issue 12 item 6: a registration whose database goes away between the employeeRef reservation and
 * the staff stream left the reference reserved for good. The app runs through a TCP proxy that is
 * cut right after the reservation is appended: the staff stream is never created and the
 * best-effort release fails too. The employee-ref orphans process releases the reservation once
 * the grace period has passed, and the person can register; `cadre reservations:orphans` reports
 * such an orphan first and releases it with `--release`.
 */
describe('employeeRef reservations orphaned by a registration cut halfway', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let manager: string;
  let worker: ProcessManagerWorker;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('orphans_e2e');
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    subject = await startPlatformTestApp({
      env: {
        DATABASE_URL: proxied.toString(),
        CADRE_RESERVATION_GRACE_SECONDS: String(GRACE_SECONDS),
      },
    });
    world = await staffWorld(subject, ['AL']);
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
    worker = subject.app.get(ProcessManagerWorker);
    pool = subject.app.get<pg.Pool>(PG_POOL);
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await subject?.close();
    await proxy?.stop();
    await database?.drop();
  });

  const register = (employeeRef: string) =>
    request(world.server).post('/v1/staff').set('Authorization', manager).send(registration({ employeeRef }));

  /**
   * A registration through the app whose database is cut right after the reservation is appended
   * (the store's own append, then the proxy cut): it fails, leaving the reservation behind.
   */
  const registerCutHalfway = async (employeeRef: string): Promise<void> => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const append = store.append;
    store.append = async function (this: EventStore, stream, events, options) {
      const result = await append.call(this, stream, events, options);
      if (stream.startsWith('employee-ref-')) {
        store.append = append;
        await proxy.cut();
      }
      return result;
    };
    try {
      const response = await register(employeeRef);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
    } finally {
      store.append = append;
      await proxy.restore();
    }
  };

  /** The orphans process knows the reservation is pending (its runner came back after the cut). */
  const pendingReservations = async (): Promise<number> => {
    for (let i = 0; i < 600; i += 1) {
      const { rows } = await pool
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM cadre_processes.employee_ref_reservations WHERE status = 'pending'`,
        )
        .catch(() => ({ rows: [{ n: 0 }] }));
      if (rows[0]!.n > 0) return rows[0]!.n;
      await sleep(50);
    }
    throw new Error('the orphans process never saw the reservation');
  };

  const releases = async (): Promise<{ reason: string | null; sub: string }[]> =>
    (
      await pool.query<{ reason: string | null; sub: string }>(
        `SELECT metadata->>'reason' AS reason, metadata->'actor'->>'sub' AS sub
           FROM cadre_es.events WHERE type = 'EmployeeRefReleased' ORDER BY tx_id, seq`,
      )
    ).rows;

  it('leaves an orphan that the process releases after the grace period; the person can then register', async () => {
    await registerCutHalfway('AL-CUT-1');
    // The bug: the reference is taken, by nobody.
    const blocked = await register('AL-CUT-1');
    expect({ status: blocked.status, code: blocked.body.code }).toEqual({
      status: 409,
      code: 'STAFF.EMPLOYEE_REF_TAKEN',
    });
    expect(await releases()).toEqual([]);

    expect(await pendingReservations()).toBe(1);
    await sleep(GRACE_SECONDS * 1000 + 100);
    const swept = await worker.sweep();
    expect(swept).toEqual([
      expect.objectContaining({ jurisdiction: 'AL', outcome: 'released', reservedAt: expect.any(String) }),
    ]);
    expect(await releases()).toEqual([
      { reason: ORPHANED_RESERVATION_REASON, sub: 'process:process-employee-ref-orphans' },
    ]);

    const created = await register('AL-CUT-1');
    expect(created.status).toBe(201);
    for (let i = 0; ; i += 1) {
      const found = await request(world.server)
        .get('/v1/staff')
        .query({ q: 'AL-CUT-1' })
        .set('Authorization', manager);
      if (found.status === 200 && found.body.items?.length === 1) {
        expect(found.body.items[0]).toMatchObject({ staffId: created.body.id, employeeRef: 'AL-CUT-1' });
        break;
      }
      if (i > 200)
        throw new Error(`the directory never showed the registration: ${JSON.stringify(found.body)}`);
      await sleep(50);
    }
    // Held now: nothing more to release.
    await sleep(GRACE_SECONDS * 1000 + 100);
    expect(await worker.sweep()).toEqual([]);
  });

  const cadre = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        [resolve('dist/apps/cli/src/main.js'), ...args],
        {
          env: {
            ...process.env,
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            CADRE_JWT_SECRET: TEST_JWT_SECRET,
            DATABASE_URL: database.url,
            CADRE_RESERVATION_GRACE_SECONDS: String(GRACE_SECONDS),
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          done({
            code: error ? Number((error as { code?: number }).code ?? 1) : 0,
            out: `${stdout}${stderr}`,
          }),
      );
    });

  it('cadre reservations:orphans reports the orphan without personal data, then --release releases it', async () => {
    await registerCutHalfway('AL-CLI-7');
    expect(await pendingReservations()).toBe(1);
    await sleep(GRACE_SECONDS * 1000 + 100);

    const report = await cadre('reservations:orphans');
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/^AL {2}reserved \d{4}-\d\d-\d\dT\S+Z {2}age \d+s {2}staff \S+ {2}orphan$/m);
    expect(report.out).toContain('1 orphaned reservation(s) older than 1 s: run again with --release');
    expect(report.out).not.toContain('AL-CLI-7');
    expect(report.out).not.toMatch(/employee-ref-/);
    // A report changes nothing.
    expect((await register('AL-CLI-7')).body.code).toBe('STAFF.EMPLOYEE_REF_TAKEN');

    const released = await cadre('reservations:orphans', '--release');
    expect(released.code).toBe(0);
    expect(released.out).toMatch(/^AL {2}reserved \S+ {2}age \d+s {2}staff \S+ {2}released$/m);
    expect(released.out).toContain(
      '1 orphaned reservation(s) released (reason: staff stream never created).',
    );
    expect(released.out).not.toContain('AL-CLI-7');
    expect((await releases()).map((one) => one.reason)).toEqual([
      ORPHANED_RESERVATION_REASON,
      ORPHANED_RESERVATION_REASON,
    ]);
    expect((await register('AL-CLI-7')).status).toBe(201);
  });
});
