import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { registration, staffWorld, type StaffWorld } from './support/staff-world.js';

const LEASE_MS = 1000;

/**
 * Issue 12 item 5: the database goes away in the middle of a command sent with an Idempotency-Key
 * (a loopback proxy between the api and PostgreSQL is cut while the command waits on a lock). The
 * claim is a lease: while its owner lives a retry gets 409 IDEMPOTENCY.IN_PROGRESS; once the lease
 * lapsed (seconds, not 24 hours) a retry answers what was written, or runs the command, once.
 */
describe('an Idempotency-Key whose command lost the database', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let direct: pg.Pool;
  let manager: string;

  beforeAll(async () => {
    database = await createTestDatabase('idem_proxy');
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    subject = await startPlatformTestApp({
      env: {
        DATABASE_URL: proxied.toString(),
        CADRE_IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
        CADRE_IN_PROCESS_WORKER: 'false',
      },
    });
    world = await staffWorld(subject, ['AL']);
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
    direct = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await subject?.close();
    await direct?.end();
    await proxy?.stop();
    await database?.drop();
  });

  const post = (path: string, key: string, body: object) =>
    request(world.server).post(path).set('Authorization', manager).set('Idempotency-Key', key).send(body);
  const keyed = async (key: string) =>
    (
      await direct.query<{ stream_id: string; type: string; data: { staffId?: string } }>(
        `SELECT stream_id, type, data FROM cadre_es.events WHERE metadata->>'idempotencyKey' = $1 ORDER BY tx_id, seq`,
        [key],
      )
    ).rows;

  const streams = async (like: string) =>
    (
      await direct.query<{ n: number }>(
        'SELECT count(DISTINCT stream_id)::int AS n FROM cadre_es.events WHERE stream_id LIKE $1',
        [like],
      )
    ).rows[0].n;

  it('registers the member once: 409 IN_PROGRESS while the owner lives, then the retry completes it', async () => {
    // The command reserves the employeeRef, then waits to seal the personal data (a lock held on
    // the data keys); the database is cut there: half the command was written.
    const lock = await direct.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE cadre_keys.data_keys IN ACCESS EXCLUSIVE MODE');
    const body = registration({ employeeRef: 'AL-CUT-1' });
    const first = post('/v1/staff', 'cut-1', body).then((response) => response);
    await waitFor(async () => (await streams('employee-ref-%')) === 1, 10_000);
    await waitFor(async () => waitingOnLock(direct), 10_000);

    // The owner is alive and renews its lease: a retry well past the lease is still in progress.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    const meanwhile = await post('/v1/staff', 'cut-1', body);
    expect({ status: meanwhile.status, code: meanwhile.body.code }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY.IN_PROGRESS',
    });

    await cutMidCommand(proxy, direct);
    const cut = await first;
    expect(cut.status).toBeGreaterThanOrEqual(500);
    await lock.query('ROLLBACK');
    lock.release();
    await proxy.restore();

    const retried = Date.now();
    const retry = await retryWhileInProgress(() => post('/v1/staff', 'cut-1', body));
    expect(Date.now() - retried).toBeLessThan(LEASE_MS * 5);
    expect(retry.status).toBe(201);
    const [reserved, ...rest] = await keyed('cut-1');
    // The retry completed the member the first attempt reserved the reference for.
    expect(reserved.type).toBe('EmployeeRefReserved');
    expect(rest.map((event) => [event.stream_id, event.type])).toEqual([
      [`staff-${reserved.data.staffId}`, 'StaffMemberRegistered'],
    ]);
    expect(retry.body).toEqual({ id: reserved.data.staffId, revision: 0, position: expect.any(String) });
    const read = await request(world.server).get(`/v1/staff/${retry.body.id}`).set('Authorization', manager);
    expect(read.body).toMatchObject({ employeeRef: 'AL-CUT-1', name: 'Ana Hoxha' });

    const again = await post('/v1/staff', 'cut-1', body).expect(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
  }, 60_000);

  it('answers the first answer, rebuilt from the events, when the command was written but not its answer', async () => {
    // The team is formed (its events appended) but the answer cannot be recorded (its claim row is
    // locked) when the database is cut.
    const events = await direct.connect();
    await events.query('BEGIN');
    await events.query('LOCK TABLE cadre_es.events IN EXCLUSIVE MODE');
    const body = teamBody();
    const first = post('/v1/teams', 'cut-2', body).then((response) => response);
    const claim = await direct.connect();
    await waitFor(async () => {
      const { rowCount } = await claim.query(
        `SELECT 1 FROM cadre_api.idempotency_keys WHERE key = 'cut-2' AND status IS NULL`,
      );
      return (rowCount ?? 0) > 0;
    }, 10_000);
    await waitFor(async () => waitingOnLock(direct), 10_000);
    await claim.query('BEGIN');
    await claim.query(`SELECT 1 FROM cadre_api.idempotency_keys WHERE key = 'cut-2' FOR UPDATE`);
    await events.query('ROLLBACK');
    events.release();
    await waitFor(async () => (await streams('team-%')) === 1, 10_000);
    await waitFor(async () => waitingOnLock(direct), 10_000);

    await cutMidCommand(proxy, direct);
    expect((await first).status).toBeGreaterThanOrEqual(500);
    await claim.query('ROLLBACK');
    claim.release();
    await proxy.restore();

    const retry = await retryWhileInProgress(() => post('/v1/teams', 'cut-2', body));
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    const written = await keyed('cut-2');
    expect(new Set(written.map((event) => event.stream_id))).toEqual(new Set([`team-${retry.body.id}`]));
    const { rows } = await direct.query<{ revision: number }>(
      `SELECT max(revision)::int AS revision FROM cadre_es.events WHERE stream_id = $1`,
      [`team-${retry.body.id}`],
    );
    expect(retry.body).toEqual({
      id: expect.any(String),
      revision: rows[0].revision,
      position: expect.any(String),
    });
    expect(retry.headers.etag).toBe(`"${rows[0].revision}"`);
    // Nothing was formed twice.
    const teams = await direct.query(
      `SELECT DISTINCT stream_id FROM cadre_es.events WHERE stream_id LIKE 'team-%'`,
    );
    expect(teams.rowCount).toBe(1);
  }, 60_000);
});

const teamBody = () => ({
  name: 'MDT Tirana — case 2026-555',
  jurisdiction: 'AL',
  institutions: ['Prison Tirana 313'],
  kind: 'joint',
  caseRef: 'CASE-2026-555',
  requiredDisciplines: [{ role: 'probation-officer', minCount: 1 }],
});

/**
 * The database goes away under the command: the proxy drops the api's connections, and the server
 * ends the sessions that served them (they would otherwise carry on once the lock is free).
 */
async function cutMidCommand(proxy: TcpProxy, direct: pg.Pool): Promise<void> {
  await proxy.cut();
  await direct.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
  );
}

/** Whether a backend of the database waits on a lock (the command in flight has got there). */
async function waitingOnLock(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0].n > 0;
}

/** Retries (as a client would) while the key is still in progress: its lease has to lapse first. */
async function retryWhileInProgress(send: () => PromiseLike<request.Response>): Promise<request.Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await send();
    if (response.status !== 409 || response.body.code !== 'IDEMPOTENCY.IN_PROGRESS') return response;
    if (Date.now() > deadline) throw new Error('still in progress after 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
