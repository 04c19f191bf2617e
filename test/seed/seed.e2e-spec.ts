import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signToken } from '@cadre/platform';
import { runSeed, type SeedSummary } from '../../scripts/seed/run-seed.js';
import { JURISDICTIONS } from '../../scripts/seed/sample-framework.js';
import {
  startPlatformTestApp,
  TEST_JWT_SECRET,
  type PlatformTestApp,
} from '../platform/support/platform-test-app.js';

/**
 * `npm run seed` against a listening app on a database of its own, at a small size: everything
 * goes through the command API, the GET routes show it, and a re-run with the same run id replays
 * (Idempotency-Key) instead of duplicating.
 */
describe('npm run seed', () => {
  const STAFF = 5;
  let subject: PlatformTestApp;
  let baseUrl: string;
  let summary: SeedSummary;
  let admin: string;
  const lines: string[] = [];

  const seed = (log: (line: string) => void) =>
    runSeed({
      baseUrl,
      sign: (sub, role, jurisdiction) =>
        signToken({ sub, roles: [role as 'manager'], jurisdictions: [jurisdiction] }, TEST_JWT_SECRET),
      runId: 'seed-e2e',
      anchor: new Date(),
      staffPerJurisdiction: STAFF,
      log,
    });
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${admin}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** Every item of a paged list route (read models catch up asynchronously: callers poll). */
  const list = async (path: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(
        `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...(page.body.items as Record<string, unknown>[]));
      cursor = page.body.nextCursor as string | undefined;
    } while (cursor);
    return items;
  };
  const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    const until = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    await subject.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = subject.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    admin = await subject.token({ sub: 'seed-auditor', roles: ['admin'], jurisdictions: ['*'] });
    summary = await seed((line) => lines.push(line));
  }, 180_000);
  afterAll(async () => {
    await subject?.close();
  }, 60_000);

  it('reports progress per step', () => {
    for (const step of [
      'framework v1',
      'framework adoptions',
      'staff registered',
      'programmes',
      'sessions',
      'teams',
    ]) {
      expect(lines.some((line) => line.startsWith(`✓ ${step}`))).toBe(true);
    }
    expect(lines.some((line) => line.includes('Kosovo*') && line.includes('UNSCR 1244'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Done in/);
  });

  it('publishes the SAMPLE framework v1 and has the six jurisdictions adopt it', async () => {
    const framework = await get('/v1/frameworks/v1');
    expect(framework.status).toBe(200);
    expect(framework.body).toMatchObject({ status: 'published' });
    expect(JSON.stringify(framework.body)).toContain('SAMPLE');
    expect(summary.jurisdictions).toEqual(JURISDICTIONS.map((j) => j.code));
    for (const code of summary.jurisdictions) {
      const jurisdiction = await get(`/v1/jurisdictions/${code}`);
      expect(jurisdiction.body.adoptions).toEqual([expect.objectContaining({ version: 'v1' })]);
    }
  });

  it('registers the staff of both agencies in each jurisdiction, with certifications', async () => {
    expect(summary.staff).toHaveLength(6 * STAFF);
    const directory = await eventually(
      () => list('/v1/staff'),
      (items) => items.length >= 6 * STAFF,
    );
    expect(directory).toHaveLength(6 * STAFF);
    for (const code of summary.jurisdictions) {
      const mine = directory.filter((s) => s.jurisdiction === code);
      expect(mine).toHaveLength(STAFF);
      expect(new Set(mine.map((s) => s.agency))).toEqual(new Set(['prison', 'probation']));
      expect(mine.some((s) => s.role === 'trainer')).toBe(true);
      expect(mine.every((s) => String(s.name).includes('(synthetic)'))).toBe(true);
    }
    expect(summary.certifications).toBeGreaterThan(6 * STAFF);
    const trainer = summary.staff.find((s) => s.role === 'trainer')!;
    const state = await get(`/v1/staff/${trainer.id}`);
    expect(state.status).toBe(200);
    expect(JSON.stringify(state.body)).toContain('"trainer"');
  });

  it('runs closed sessions, joint ones among them, and forms teams', async () => {
    const sessions = await eventually(
      () => list('/v1/sessions'),
      (items) => items.filter((s) => s.status === 'closed').length >= summary.sessions.length,
    );
    expect(sessions.length).toBe(summary.sessions.length);
    expect(sessions.length).toBeGreaterThanOrEqual(2 * 6);
    expect(sessions.every((s) => s.status === 'closed')).toBe(true);
    expect(sessions.filter((s) => s.joint === true).length).toBeGreaterThan(0);
    for (const session of summary.sessions.slice(0, 3)) {
      const state = await get(`/v1/sessions/${session.id}`);
      expect(state.body).toMatchObject({ status: 'closed', joint: session.joint });
    }
    const teams = await eventually(
      () => list('/v1/teams'),
      (items) => items.length >= summary.teams.length,
    );
    expect(teams).toHaveLength(summary.teams.length);
    expect(summary.teams.length).toBeGreaterThanOrEqual(6);
    for (const team of summary.teams) {
      const state = await get(`/v1/teams/${team.id}`);
      expect(Object.keys(state.body.members as object).sort()).toEqual([...team.members].sort());
    }
  });

  it('a re-run with the same run id duplicates nothing', async () => {
    const again = await seed(() => undefined);
    expect(again.staff.map((s) => s.id)).toEqual(summary.staff.map((s) => s.id));
    expect(again.sessions.map((s) => s.id)).toEqual(summary.sessions.map((s) => s.id));
    expect(again.teams.map((t) => t.id)).toEqual(summary.teams.map((t) => t.id));
    const directory = await list('/v1/staff');
    expect(directory).toHaveLength(6 * STAFF);
  }, 120_000);

  /** `npm run cadre -- …` (the built CLI) on the seeded database, as an operator runs it. */
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
            DATABASE_URL: subject.config.DATABASE_URL,
          },
          timeout: 120_000,
        },
        (error, stdout, stderr) =>
          done({
            code: error ? Number((error as { code?: number }).code ?? 1) : 0,
            out: `${stdout}${stderr}`,
          }),
      );
    });

  it('the CLI rebuilds every read model of the seeded deployment, finds no difference and swaps', async () => {
    const status = await cadre('projections:status');
    expect(status.code).toBe(0);
    for (const name of ['history', 'staff-transcript', 'coverage', 'staff-directory'])
      expect(status.out).toContain(name);

    const rebuilt = await cadre('projections:rebuild', 'all', '--concurrency', '2');
    expect(rebuilt.out).not.toContain('NOT swapped');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out.match(/swapped in/g)?.length).toBeGreaterThanOrEqual(13);
    // Names come from the sealed personal data, as the worker unseals it: not "erased".
    const directory = await list('/v1/staff');
    expect(directory).toHaveLength(6 * STAFF);
    expect(directory.every((s) => String(s.name).includes('(synthetic)'))).toBe(true);
  }, 150_000);

  it('the CLI verifies every stream and replays a read model as of a date', async () => {
    const verified = await cadre('integrity:verify');
    expect(verified.code).toBe(0);
    const replayed = await cadre(
      'replay',
      'coverage',
      '--as-of',
      new Date().toISOString(),
      '--jurisdiction',
      'AL',
    );
    expect(replayed.out).toContain('coverage as of');
    expect(replayed.code).toBe(0);
    expect(replayed.out).toMatch(/│.*AL.*│/);
    expect(replayed.out).not.toMatch(/│.*\bRS\b.*│/);
    for (const readModel of [
      'history',
      'assignments',
      'expiry-gaps',
      'trainers',
      'joint-training',
      'matrix',
    ]) {
      const answer = await cadre('replay', readModel, '--as-of', new Date().toISOString());
      expect([readModel, answer.code, answer.code === 0 ? '' : answer.out]).toEqual([readModel, 0, '']);
    }
    // Before any data: an empty answer, not an error.
    const before = await cadre('replay', 'coverage', '--as-of', '2001-01-01');
    expect(before.code).toBe(0);
    expect(before.out).toContain('(no rows)');
    const refused = await cadre('replay', 'coverage', '--as-of', 'yesterday-ish');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('--as-of "yesterday-ish" is not a date');
  }, 120_000);
});
