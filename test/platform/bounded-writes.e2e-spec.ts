import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import pg from 'pg';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { registration } from '../api/support/staff-world.js';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

const LIMIT_MS = 700;

/**
 * Issue 12, item 7 (the rest of it): every pool of the api and the worker bounds its statements
 * (CADRE_STATEMENT_TIMEOUT_MS) and its waits for a connection. A command stuck behind a lock on
 * the log answers 503 DATABASE.TIMEOUT with Retry-After and writes nothing; a runner stuck behind
 * one fails its batch, shows in /health/ready, and resumes from its checkpoint.
 */
describe('writes and runners wait a bounded time', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let manager: string;
  let sql: pg.Pool;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { CADRE_STATEMENT_TIMEOUT_MS: String(LIMIT_MS) } });
    server = subject.app.getHttpServer();
    await CadreFixtures.of(subject).sampleFramework(['AL']);
    manager = `Bearer ${await subject.token({ sub: 'mgr', roles: ['manager'], jurisdictions: ['AL'] })}`;
    sql = new pg.Pool({ connectionString: subject.config.DATABASE_URL, max: 2 });
  });
  afterAll(async () => {
    await sql?.end();
    await subject?.close();
  });

  const eventCount = async (): Promise<number> =>
    Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM cadre_es.events')).rows[0]!.n);

  /** Runs `work` while another connection holds `lock` (ACCESS EXCLUSIVE on a table). */
  async function whileLocked<T>(table: string, work: () => Promise<T>): Promise<T> {
    const locker = new pg.Client({ connectionString: subject.config.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      return await work();
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  }

  it('answers a command 503 DATABASE.TIMEOUT with Retry-After while the log is locked, writing nothing; the same command succeeds after', async () => {
    const body = registration({ employeeRef: 'AL-LOCKED-1', email: 'locked.1@example.org' });
    const before = await eventCount();
    const response = await whileLocked('cadre_es.events', async () => {
      const started = Date.now();
      const locked = await request(server).post('/v1/staff').set('Authorization', manager).send(body);
      expect(Date.now() - started).toBeLessThan(LIMIT_MS * 3 + 2_000);
      return locked;
    });
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('DATABASE.TIMEOUT');
    expect(response.body.detail).toMatch(/time limit/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(await eventCount()).toBe(before);

    // Nothing half-written: the employeeRef is not left reserved, the member registers once.
    const created = await request(server).post('/v1/staff').set('Authorization', manager).send(body);
    expect(created.status).toBe(201);
    const stream = await sql.query<{ type: string }>(
      'SELECT type FROM cadre_es.events WHERE stream_id = $1 ORDER BY revision',
      [`staff-${created.body.id as string}`],
    );
    expect(stream.rows.map((row) => row.type)).toEqual(['StaffMemberRegistered']);
  });

  it('keeps the projection runners running past a statement timeout: degraded meanwhile, caught up after', async () => {
    // Runners that timed out reading the locked log above have recovered.
    await waitFor(async () => (await readiness()).status === 'ok');
    const body = registration({ employeeRef: 'AL-LOCKED-2', email: 'locked.2@example.org' });
    const staffId = await whileLocked('rm_staff_directory.staff', async () => {
      const created = await request(server).post('/v1/staff').set('Authorization', manager).send(body);
      expect(created.status).toBe(201);
      // The staff directory's runner times out on its batch (again while the lock lasts), and
      // says so; the process stays ready.
      await waitFor(async () => staffDirectoryTimedOut(await readiness()));
      return created.body.id as string;
    });
    // Released: the runner resumes from its checkpoint and catches up.
    await waitFor(async () => {
      const listed = await request(server).get('/v1/staff').set('Authorization', manager).expect(200);
      return JSON.stringify(listed.body).includes(staffId);
    });
    await waitFor(async () => (await readiness()).status === 'ok');
  });

  const readiness = async (): Promise<{ status: string; degraded?: Record<string, unknown> }> => {
    const ready = await request(server).get('/health/ready');
    expect(ready.status).toBe(200);
    return ready.body;
  };

  const staffDirectoryTimedOut = (ready: { status: string; degraded?: Record<string, unknown> }): boolean => {
    const failing = (ready.degraded?.projections ?? []) as { name: string; error: string | null }[];
    return (
      ready.status === 'degraded' &&
      failing.some(
        ({ name, error }) => /staff.?directory/i.test(name) && /statement timeout/.test(error ?? ''),
      )
    );
  };
});

async function waitFor(condition: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
