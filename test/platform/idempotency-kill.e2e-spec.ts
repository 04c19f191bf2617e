import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '@cadre/event-store';
import { signToken } from '@cadre/platform';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { TEST_JWT_SECRET } from './support/platform-test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const MAIN = resolve('dist/server/main.js');
const LEASE_MS = 1000;

/**
 * Issue 12 item 5, as reported: an api killed with SIGKILL in the middle of commands sent with an
 * Idempotency-Key (one waits on a lock held on the personal-data keys, half written; another has
 * written its events and waits to record its answer). Restarted, a retry with the same key gets,
 * within seconds rather than after 24 hours, the first answer or the command completed, once.
 */
describe('Idempotency-Keys of an api killed mid-command', () => {
  let database: TestDatabase;
  let direct: pg.Pool;
  let store: PostgresEventStore;
  let child: ChildProcess | undefined;
  let manager: string;

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    database = await createTestDatabase('idem_kill');
    direct = new pg.Pool({ connectionString: database.url, max: 6 });
    store = await PostgresEventStore.connect({ connectionString: database.url });
    await CadreFixtures.on(store, direct).sampleFramework(['AL']);
    manager = `Bearer ${await signToken({ sub: 'mgr-al', roles: ['manager'], jurisdictions: ['AL'] }, TEST_JWT_SECRET)}`;
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await store?.close();
    await direct?.end();
    await database?.drop();
  });

  /** Starts the built api on the test database and an ephemeral port; answers its base URL. */
  const startApi = async (): Promise<string> => {
    let output = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        CADRE_JWT_SECRET: TEST_JWT_SECRET,
        CADRE_IN_PROCESS_WORKER: 'false',
        CADRE_IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const deadline = Date.now() + 45_000;
    for (;;) {
      const url = /Cadre listening on (http:\/\/[^\s)]+)/.exec(output)?.[1];
      if (url) return url;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the api did not start (exit ${child.exitCode}):\n${output.slice(-3000)}`);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  };

  const post = async (base: string, path: string, key: string, body: object) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: manager, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      replayed: response.headers.get('idempotency-replayed'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const streams = async (like: string) =>
    (
      await direct.query<{ n: number }>(
        'SELECT count(DISTINCT stream_id)::int AS n FROM cadre_es.events WHERE stream_id LIKE $1',
        [like],
      )
    ).rows[0].n;
  const waiting = async (query: string) =>
    (
      await direct.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [query],
      )
    ).rows[0].n > 0;

  it('answers, after a restart, the first answer or the completed command, within seconds', async () => {
    let base = await startApi();
    const staff = { ...registration, employeeRef: 'AL-KILL-1' };

    // A registration reserves its employeeRef, then waits for the personal-data keys.
    const keys = await direct.connect();
    await keys.query('BEGIN');
    await keys.query('LOCK TABLE cadre_keys.data_keys IN ACCESS EXCLUSIVE MODE');
    void post(base, '/v1/staff', 'kill-1', staff).catch(() => undefined);
    await waitFor(async () => (await streams('employee-ref-%')) === 1 && (await waiting('%data_keys%')));

    // A team is formed (its events written), and waits to record its answer.
    const events = await direct.connect();
    await events.query('BEGIN');
    await events.query('LOCK TABLE cadre_es.events IN EXCLUSIVE MODE');
    void post(base, '/v1/teams', 'kill-2', team).catch(() => undefined);
    await waitFor(async () => {
      const { rowCount } = await direct.query(
        `SELECT 1 FROM cadre_api.idempotency_keys WHERE key = 'kill-2'`,
      );
      return (rowCount ?? 0) > 0 && (await waiting('%append%'));
    });
    const answers = await direct.connect();
    await answers.query('BEGIN');
    await answers.query(`SELECT 1 FROM cadre_api.idempotency_keys WHERE key = 'kill-2' FOR UPDATE`);
    await events.query('ROLLBACK');
    events.release();
    await waitFor(async () => (await streams('team-%')) === 1 && (await waiting('%SET status%')));

    // While the api lives, a retry is in progress, however long the command takes.
    await new Promise((done) => setTimeout(done, LEASE_MS * 2));
    expect(await post(base, '/v1/staff', 'kill-1', staff)).toMatchObject({
      status: 409,
      body: { code: 'IDEMPOTENCY.IN_PROGRESS' },
    });

    child!.kill('SIGKILL');
    await new Promise((done) => child!.once('exit', done));
    // The statements the dead api had sent die with it (PostgreSQL would otherwise run them once
    // the locks are free, not noticing the client is gone).
    await direct.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
    );
    await keys.query('ROLLBACK');
    keys.release();
    await answers.query('ROLLBACK');
    answers.release();

    base = await startApi();
    const restarted = Date.now();
    const registered = await retryWhileInProgress(() => post(base, '/v1/staff', 'kill-1', staff));
    const formed = await retryWhileInProgress(() => post(base, '/v1/teams', 'kill-2', team));
    expect(Date.now() - restarted).toBeLessThan(LEASE_MS * 5);

    // The registration the dead api had half written is completed, under the member it reserved for.
    const { rows: reserved } = await direct.query<{ staff_id: string }>(
      `SELECT data->>'staffId' AS staff_id FROM cadre_es.events WHERE stream_id LIKE 'employee-ref-%'`,
    );
    expect(reserved).toHaveLength(1);
    expect(registered).toMatchObject({
      status: 201,
      body: { id: reserved[0].staff_id, revision: 0, position: expect.any(String) },
    });
    expect(await streams('staff-%')).toBe(1);

    // The team the dead api had formed is answered as it would have been: rebuilt from its events.
    const { rows: teams } = await direct.query<{ stream_id: string; revision: number }>(
      `SELECT stream_id, max(revision)::int AS revision FROM cadre_es.events WHERE stream_id LIKE 'team-%' GROUP BY stream_id`,
    );
    expect(teams).toHaveLength(1);
    expect(formed).toMatchObject({
      status: 201,
      replayed: 'true',
      body: { id: teams[0].stream_id.slice('team-'.length), revision: teams[0].revision },
    });
  }, 120_000);
});

const registration = {
  agency: 'probation',
  jurisdiction: 'AL',
  institution: 'Tirana probation office',
  role: 'probation-officer',
  name: 'Ana Hoxha',
  email: 'ana.hoxha@example.org',
};

const team = {
  name: 'MDT Tirana — case 2026-777',
  jurisdiction: 'AL',
  institutions: ['Prison Tirana 313'],
  kind: 'joint',
  caseRef: 'CASE-2026-777',
  requiredDisciplines: [{ role: 'probation-officer', minCount: 1 }],
};

/** Retries (as a client would) while the key is still in progress: its lease has to lapse first. */
async function retryWhileInProgress<Reply extends { status: number; body: Record<string, unknown> }>(
  send: () => Promise<Reply>,
): Promise<Reply> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const reply = await send();
    if (reply.status !== 409 || reply.body.code !== 'IDEMPOTENCY.IN_PROGRESS') return reply;
    if (Date.now() > deadline) throw new Error('still in progress after 15 s');
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 25));
  }
}
