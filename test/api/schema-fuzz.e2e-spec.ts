import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import type pg from 'pg';
import { PG_POOL } from '@cadre/command-handling/nest';
import { ProjectionWorker } from '@cadre/subscriptions/nest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import {
  operationsOf,
  RequestArbitraries,
  type FuzzRequest,
  type Operation,
  type Schema,
} from '../support/fuzz/openapi-arbitraries.js';
import { CadreFixtures } from './support/cadre-fixtures.js';

/**
 * Issue 12 item 4: every operation of the document the app serves (`/docs-json`), sent requests
 * generated from its schemas — valid-ish ones and mutations of them (test/support/fuzz) — with a
 * token holding the roles it admits. Every answer is 2xx, or 4xx as an application/problem+json
 * document with its status and a code; after a 4xx the head of the event store has not moved.
 * Nothing else writes events while it runs: the in-process worker runs the projections only (no
 * process managers, no webhook delivery), so the test does not depend on timing.
 *
 * The seed is fixed (CADRE_FUZZ_SEED to try another, CADRE_FUZZ_RUNS for more requests per
 * operation); a failure names the operation, the request, the seed and fast-check's path.
 */
const SEED = Number(process.env.CADRE_FUZZ_SEED ?? 20_261_207);
const RUNS = Number(process.env.CADRE_FUZZ_RUNS ?? 40);

describe('every operation under schema-driven fuzzing', () => {
  let subject: PlatformTestApp;
  let fixtures: CadreFixtures;
  let pool: pg.Pool;
  let base: string;
  let server: Server;

  beforeAll(async () => {
    subject = await startPlatformTestApp({
      env: {
        CADRE_WORKER_ROLES: 'projections',
        CADRE_RATE_LIMIT_PER_MINUTE: '0',
        CADRE_AUTH_FAILURES_PER_MINUTE: '0',
        CADRE_CHECKPOINT_INTERVAL_SECONDS: '0',
      },
    });
    fixtures = CadreFixtures.of(subject);
    pool = subject.app.get<pg.Pool>(PG_POOL);
    server = subject.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => subject?.close());

  /** The last position written, read from the events table (only requests write while it runs). */
  const head = (): Promise<string | null> =>
    transient(async () => {
      const { rows } = await pool.query<{ position: string }>(
        `SELECT tx_id::text || '-' || seq::text AS position FROM cadre_es.events ORDER BY tx_id DESC, seq DESC LIMIT 1`,
      );
      return rows[0]?.position ?? null;
    });

  /**
   * The PostgreSQL of a shared machine may refuse a connection for a moment ("too many clients"):
   * the app answers that with its documented 503 and Retry-After, and a client retries. So does
   * this test, a few times, for those answers (and for its own reads of the head) only; a 503
   * that stays, or any other 5xx, is a failure.
   */
  let retried = 0;
  async function transient<T>(attempt: () => Promise<T>, again?: (result: T) => boolean): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        const result = await attempt();
        if (tries < 4 && again?.(result)) {
          retried += 1;
          await new Promise((resolve) => setTimeout(resolve, 500 * tries));
          continue;
        }
        return result;
      } catch (error) {
        if (tries >= 4 || !/too many clients|ECONNREFUSED|Connection terminated/.test(String(error)))
          throw error;
        retried += 1;
        await new Promise((resolve) => setTimeout(resolve, 500 * tries));
      }
    }
  }
  const UNAVAILABLE =
    /"code":"(DATABASE\.UNAVAILABLE|DATABASE\.TIMEOUT|EVENT_STORE\.UNAVAILABLE|HEALTH\.NOT_READY)"/;

  const token = async (roles: readonly string[]): Promise<string> =>
    `Bearer ${await subject.token({ sub: 'fuzz', roles: roles as never, jurisdictions: ['*'] })}`;

  /** Sends it; a stream (server-sent events) is closed once its head has arrived. */
  async function send(request: FuzzRequest): Promise<{ status: number; type: string; text: string }> {
    const abort = new AbortController();
    const response = await fetch(`${base}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: abort.signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      abort.abort();
      return { status: response.status, type, text: '' };
    }
    return { status: response.status, type, text: await response.text() };
  }

  /** What is wrong with the answer, or null. */
  function refusal(
    answer: { status: number; type: string; text: string },
    before: string | null,
    after: string | null,
  ) {
    const { status, type, text } = answer;
    if (status >= 200 && status < 300) return null;
    if (status < 400 || status >= 500) return `answered ${status}: ${text.slice(0, 500)}`;
    if (!type.startsWith('application/problem+json'))
      return `answered ${status} as ${type}: ${text.slice(0, 300)}`;
    let body: { status?: unknown; code?: unknown; detail?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return `answered ${status} with a problem that is not JSON: ${text.slice(0, 300)}`;
    }
    if (body.status !== status || typeof body.code !== 'string' || typeof body.detail !== 'string') {
      return `answered ${status} with a malformed problem: ${text.slice(0, 300)}`;
    }
    if (after !== before)
      return `answered ${status} ${body.code} but the head moved from ${before} to ${after}`;
    return null;
  }

  it(`answers 2xx, or a 4xx problem that writes nothing, to every operation (seed ${SEED}, ${RUNS} runs each)`, async () => {
    const started = Date.now();
    // What valid-ish requests name, so that they reach the rules and not only a 404.
    await fixtures.sampleFramework(['AL', 'RS']);
    const staff = await fixtures.staff({ agency: 'prison', role: 'psychologist' });
    const certification = await fixtures.certify(staff, 'vep-risk-assessment', 'specialised');
    const trainer = await fixtures.trainer('AL');
    const ids = [staff, trainer, certification];
    const worker = subject.app.get(ProjectionWorker, { strict: false });
    for (const deadline = Date.now() + 15_000; ;) {
      const behind = (await worker.measure()).filter((runner) => (runner.lagEvents ?? 0) > 0);
      if (behind.length === 0) break;
      if (Date.now() > deadline) throw new Error(`read models behind: ${JSON.stringify(behind)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reached = (await head()) ?? 'not-a-position';

    const documentAnswer = await fetch(`${base}/docs-json`);
    expect(documentAnswer.status).toBe(200);
    const document = (await documentAnswer.json()) as Schema;
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(50);

    const arbitraries = new RequestArbitraries(document, {
      hints: {
        id: ids,
        staffId: [staff, trainer],
        certificationId: [certification],
        eventId: ids,
        correlationId: ids,
        stream: [`staff-${staff}`, 'framework-v1', 'jurisdiction-AL'],
        version: ['v1', 'v2'],
        code: ['AL', 'RS'],
        jurisdiction: ['AL'],
        jurisdictions: ['AL'],
        role: ['psychologist', 'probation-officer'],
        teamRole: ['psychologist'],
        competency: ['vep-risk-assessment', 'dynamic-security'],
        level: ['awareness', 'specialised'],
        minLevel: ['awareness'],
        programmeId: ids,
      },
      pinned: { minPosition: [reached, 'not-a-position'], wait: ['0'] },
    });

    let sent = 0;
    const failures: string[] = [];
    for (const [index, operation] of operations.entries()) {
      const headers: Record<string, string> =
        operation.roles.length > 0 ? { authorization: await token(operation.roles) } : {};
      const seed = SEED + index;
      const result = await fc.check(
        fc.asyncProperty(arbitraries.request(operation, headers), async (request) => {
          const before = await head();
          const answer = await transient(
            () => send(request),
            (got) => got.status === 503 && UNAVAILABLE.test(got.text),
          );
          sent += 1;
          const after = answer.status >= 400 && answer.status < 500 ? await head() : before;
          const wrong = refusal(answer, before, after);
          if (wrong) throw new Error(`${request.described}\n    ${wrong}`);
        }),
        { seed, numRuns: RUNS },
      );
      if (result.failed) failures.push(describeFailure(operation, seed, result));
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `schema fuzz: ${operations.length} operations, ${sent} requests (${retried} retried) in ${seconds.toFixed(1)} s (seed ${SEED})\n`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});

function describeFailure(operation: Operation, seed: number, result: fc.RunDetails<[FuzzRequest]>): string {
  const error =
    result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return `${operation.method} ${operation.path}: ${error}\n    (fast-check seed ${seed}, path "${result.counterexamplePath}")`;
}
