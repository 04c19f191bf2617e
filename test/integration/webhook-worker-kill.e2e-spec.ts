import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '@cadre/event-store';
import { CERTIFICATION_EVENT_TYPES, WebhookSubscriptions, keyRingSecretBox } from '@cadre/integration';
import { configuredKeyRing } from '@cadre/personal-data';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { Receiver } from './support/webhook-receiver.js';

const MAIN = resolve('dist/apps/worker/src/main.js');
const MEMBERS = 30;
const PER_MEMBER = 3;
const MAX_IN_FLIGHT = 12;

/**
 * Issue 13 item 1: "after a worker dies another continues within 5 s, nothing lost", with a real
 * worker process killed with SIGKILL while its requests are on the wire (not a lease connection
 * closed in-process): its claims lapse with its connections, and the other worker — a standalone
 * worker delivering from its thread — sends them within 5 s; every event arrives, in order per
 * staff member.
 */
describe('webhooks: a worker killed with SIGKILL mid-delivery', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const children: ChildProcess[] = [];
  const receiver = new Receiver();

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    database = await createTestDatabase('webhook_kill');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    store = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await receiver.close();
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  const until = async (what: string, done: () => boolean | Promise<boolean>, ms = 45_000) => {
    for (const started = Date.now(); !(await done());) {
      if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Starts the built worker with `roles`; resolves once it logged `ready`. */
  const startWorker = async (roles: string | undefined, ready: string) => {
    let log = '';
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        CADRE_WORKER_ROLES: roles,
        // Retries 100 ms apart, and the receiver never counted failing: a request A had on the
        // wire for long (10 s, its time limit) is retried at once, not after the 5 s of the schedule.
        CADRE_WEBHOOK_RETRY_SCHEDULE: '0s,100ms,100ms,100ms,100ms,100ms,100ms,100ms',
        CADRE_WEBHOOK_FAILING_AFTER: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    await until(`the worker (${roles ?? 'every role'}) to start`, () => {
      if (child.exitCode !== null) throw new Error(`the worker ended:\n${log.slice(-3000)}`);
      return log.includes(ready);
    });
    return child;
  };
  const claimedBy = async (): Promise<{ owner: string; eventId: string }[]> =>
    (
      await pool.query<{ owner: string; event_id: string }>(
        `SELECT claimed_by AS owner, event_id FROM cadre_webhooks.deliveries WHERE claimed_by IS NOT NULL`,
      )
    ).rows.map((r) => ({ owner: r.owner, eventId: r.event_id }));
  const deliveredIds = () => new Set(receiver.received.map((r) => r.webhookId));

  it('another worker sends what it had in flight within 5 s; every event arrives, in order per member', async () => {
    const fixtures = CadreFixtures.on(store, pool);
    await fixtures.sampleFramework(['AL']);
    const url = await receiver.start();
    receiver.answerAfterMs = 30;
    const subscriptions = new WebhookSubscriptions(
      pool,
      keyRingSecretBox(configuredKeyRing({ ...process.env, NODE_ENV: 'development' })),
    );
    const created = await subscriptions.create({
      owner: 'hr',
      url,
      eventTypes: [...CERTIFICATION_EVENT_TYPES],
      jurisdictions: ['*'],
      cursor: null,
      maxInFlight: MAX_IN_FLIGHT,
    });
    receiver.secret = created.secret;
    const expected = new Map<string, string[]>();
    for (let m = 0; m < MEMBERS; m += 1) {
      const staffId = await fixtures.staff();
      const ids: string[] = [];
      for (let i = 0; i < PER_MEMBER; i += 1) {
        await fixtures.certify(staffId, 'dynamic-security', 'awareness');
        ids.push((await store.readStream(`staff-${staffId}`)).at(-1)!.eventId);
      }
      expected.set(staffId, ids);
    }

    // Worker A delivers alone first: the claims seen now are its own.
    const a = await startWorker('webhooks', 'Cadre worker started');
    let owner = '';
    await until('worker A to claim', async () => {
      owner = (await claimedBy())[0]?.owner ?? '';
      return owner !== '' && deliveredIds().size >= 3;
    });
    // The receiver stops answering: A's requests fill every slot of maxInFlight and stay on the wire.
    receiver.hanging = true;
    await until('A’s requests to fill maxInFlight', () => receiver.held.length >= MAX_IN_FLIGHT);
    // Worker B, standalone with every role, delivers from its thread: nothing is free for it yet.
    const b = await startWorker(undefined, 'webhook delivery thread started');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ofA = (await claimedBy()).filter((c) => c.owner === owner).map((c) => c.eventId);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.every((id) => !deliveredIds().has(id))).toBe(true);

    const exited = new Promise<string | null>((done) => a.once('exit', (_code, signal) => done(signal)));
    a.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await exited).toBe('SIGKILL');
    // A's requests died with it (any still held are cut short); the receiver answers again.
    receiver.hanging = false;
    for (const res of receiver.held.splice(0)) res.destroy();
    await until('A’s claims delivered by B', () => ofA.every((id) => deliveredIds().has(id)), 10_000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(5000);

    await until('every event', () => deliveredIds().size >= MEMBERS * PER_MEMBER, 60_000);
    // First receipt of each event, per member: log order (a repeat may come later; receivers dedupe).
    const order = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const r of receiver.received) {
      if (seen.has(r.webhookId)) continue;
      seen.add(r.webhookId);
      const member = String(r.event.subject);
      order.set(member, [...(order.get(member) ?? []), r.webhookId]);
    }
    expect(order).toEqual(expected);
    expect(await subscriptions.deadLetters(created.id)).toEqual([]);
    await until('the queue to empty', async () => (await subscriptions.get(created.id))!.lag.events === 0);

    const ended = new Promise<void>((done) => b.once('exit', () => done()));
    b.kill('SIGTERM');
    await ended;
  }, 180_000);
});
