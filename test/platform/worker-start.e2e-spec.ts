import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { EVENT_STORE, PostgresEventStore } from '@cadre/event-store';
import { WebhookSubscriptions, keyRingSecretBox } from '@cadre/integration';
import { configuredKeyRing } from '@cadre/personal-data';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import type { PlatformTestApp } from './support/platform-test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const MAIN = resolve('dist/apps/worker/src/main.js');

/**
 * The standalone worker, as docker compose runs it beside an api without its in-process worker:
 * the built entry point starts on a database of its own, takes its leases, and stops cleanly on
 * SIGTERM. (It once failed to start: a provider only the api's modules gave.)
 */
describe('the standalone worker (dist/apps/worker)', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    database = await createTestDatabase('worker_start');
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
  });

  it('starts, keeps checkpoints in the shared database, and ends cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'info', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string>((done) =>
      child!.once('exit', (code, signal) => done(signal ?? String(code))),
    );
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);

    const deadline = Date.now() + 45_000;
    while (!output.includes('Cadre worker started')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the worker did not start (exit ${child.exitCode}):\n${output.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // It holds the projections' leases and keeps checkpoints in the shared database.
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      for (;;) {
        const { rows } = await pool
          .query<{ n: number }>('SELECT count(*)::int AS n FROM cadre_projections.checkpoints')
          .catch(() => ({ rows: [{ n: 0 }] }));
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error(`no checkpoint was written:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await pool.end();
    }

    // Nest runs the shutdown hooks (runners stopped, leases released, pools closed) and then
    // re-raises the signal: 143 (128 + SIGTERM) is its clean end, as docker expects.
    child.kill('SIGTERM');
    const ended = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000).unref()),
    ]);
    expect(['0', '143', 'SIGTERM']).toContain(ended);
    expect(output).not.toMatch(/"level":"(error|fatal)"/);
  }, 90_000);

  it('runs only the roles of CADRE_WORKER_ROLES: a webhook worker takes no projection lease', async () => {
    let log = '';
    const webhooks = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        CADRE_WORKER_ROLES: 'webhooks',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((done) => webhooks.once('exit', () => done()));
    webhooks.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    webhooks.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 45_000;
      while (!log.includes('Cadre worker started')) {
        if (webhooks.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the webhook worker did not start:\n${log.slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(log).toContain('"roles":["webhooks"]');
      expect(log).not.toContain('lease taken');
    } finally {
      webhooks.kill('SIGTERM');
      await exited;
    }
  }, 90_000);

  it('delivers webhooks from a thread of its own beside the read models, and stops it on SIGTERM', async () => {
    const own = await createTestDatabase('worker_thread');
    const store = await PostgresEventStore.connect({ connectionString: own.url });
    const pool = new pg.Pool({ connectionString: own.url, max: 2 });
    const received: string[] = [];
    let secret = '';
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), headers);
        received.push(headers['webhook-id']);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    let log = '';
    const worker = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATABASE_URL: own.url, LOG_LEVEL: 'info', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string>((done) =>
      worker.once('exit', (code, signal) => done(signal ?? String(code))),
    );
    worker.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    worker.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 45_000;
      while (!log.includes('webhook delivery thread started')) {
        if (worker.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the delivery thread did not start:\n${log.slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(log).toContain('"webhooksInThread":true');
      const fixtures = CadreFixtures.of({
        app: { get: (token: unknown) => (token === EVENT_STORE ? store : pool) },
      } as unknown as PlatformTestApp);
      await fixtures.sampleFramework(['AL']);
      const subscriptions = new WebhookSubscriptions(
        pool,
        keyRingSecretBox(configuredKeyRing({ ...process.env, NODE_ENV: 'development' })),
      );
      const { port } = receiver.address() as AddressInfo;
      secret = (
        await subscriptions.create({
          owner: 'hr',
          url: `http://127.0.0.1:${port}/hooks`,
          eventTypes: ['org.cadre.certification.awarded.v1'],
          jurisdictions: ['*'],
          cursor: null,
        })
      ).secret;
      const staffId = await fixtures.staff();
      await fixtures.certify(staffId, 'dynamic-security', 'awareness');
      const award = (await store.readStream(`staff-${staffId}`)).at(-1)!;
      while (!received.includes(award.eventId)) {
        if (Date.now() > deadline) throw new Error(`nothing delivered:\n${log.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      worker.kill('SIGTERM');
      const ended = await Promise.race([
        exited,
        new Promise<string>((resolve) =>
          setTimeout(() => resolve('still running after 15 s'), 15_000).unref(),
        ),
      ]);
      expect(['0', '143', 'SIGTERM']).toContain(ended);
      expect(log).not.toMatch(/"level":"(error|fatal)"/);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await pool.end();
      await store.close();
      await own.drop();
    }
  }, 90_000);
});
