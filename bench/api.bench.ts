/**
 * `npm run bench:api`: the command api on PostgreSQL against the same commands' own SQL, in the same
 * run (see docs BENCHMARKS.md and issue 3, item 8). It creates and drops a database of its own on
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), starts the built api
 * (dist/server/main.js) as a child process on it — without the in-process worker, rate
 * limits off — sets up a minimal framework (its own, adopted by AL), a trainer, one open session
 * and one team per connection, then measures at 50 connections:
 *
 *  (i)   command-mix-c50: each connection registers a person, enrols them in its session, records
 *        their attendance and assigns them to its team, for a fixed time — target ≥ 0.5× the
 *        baseline: the same stream reads, key-table statements and `cadre_es.append(...)` calls
 *        straight through `pg` (a pool of 20, as the api's store) by 50 workers;
 *  (ii)  command-p99-c50: p99 latency of those commands — target ≤ 30 ms;
 *  (iii) api-rss: the api process's resident set size, highest sample under load — target ≤ 250 MB;
 *  (iv)  health-live-c50: GET /health/live of the same app, for context (no target).
 *
 * Warm-up, then 3 rounds (subject and baseline interleaved), medians. Exit code 0 even when a
 * target is missed. BENCH_ROUND_MS / BENCH_WARMUP_MS / BENCH_CONNECTIONS override the defaults.
 */
import pg from 'pg';
import { signToken } from '@cadre/platform';
import { benchLine, log, printBench, printTable, type BenchLine } from './support/bench-line.js';
import { Cleanup, createBenchDatabase, DEFAULT_DATABASE_URL } from './support/database.js';
import { machineFacts, serverVersion } from './support/machine.js';
import { median, percentile } from './support/stats.js';
import { contest, throughput } from './support/timing.js';
import { startApiProcess, type ApiProcess } from './api/api-process.js';
import {
  apiIteration,
  append,
  baselineIteration,
  MIX,
  type ApiWorld,
  type BaselineWorld,
  type EventTemplate,
  type RoundResult,
} from './api/command-mix.js';
import { BenchHttp } from './api/http.js';

const BENCH = 'api';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 6000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
const HEALTH_ROUND_MS = Number(process.env.BENCH_HEALTH_ROUND_MS ?? 3000);
const ROUNDS = 3;
const SECRET = 'bench-api-secret-0123456789-abcdefghijklmnopqrstu';
const JURISDICTION = 'AL';
const FRAMEWORK = 'bench-v1';
const STORE_POOL = 20;

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const machine = machineFacts();
  log(
    `bench:api — nproc ${machine.nproc}, node ${machine.node}, PostgreSQL ${await serverVersion(adminUrl)}`,
  );
  const database = await createBenchDatabase('api', adminUrl);
  cleanup.add(() => database.drop());
  let api: ApiProcess | null = null;
  try {
    api = await startApiProcess({
      DATABASE_URL: database.url,
      CADRE_JWT_SECRET: SECRET,
      CADRE_IN_PROCESS_WORKER: 'false',
      CADRE_RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    });
    const started = api;
    cleanup.add(() => started.stop());
    log(`api started (pid ${api.pid}, port ${api.port}, RSS ${api.memory().rssMb.toFixed(0)} MB)`);
    let rssMax = 0;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, started.memory().rssMb);
    }, 250);
    cleanup.add(async () => clearInterval(sampler));

    const http = new BenchHttp('127.0.0.1', api.port, CONNECTIONS);
    cleanup.add(async () => http.close());
    const world = await setUp(http);
    log(`set up: framework ${FRAMEWORK} adopted by ${JURISDICTION}, ${CONNECTIONS} sessions and teams`);

    // The api's own rows give the baseline its templates (same sizes and shapes).
    await apiRound(world, 1000);
    const pool = new pg.Pool({ connectionString: database.url, max: STORE_POOL });
    cleanup.add(() => pool.end());
    const baseline = await baselineWorld(pool);

    const mix = await contest<RoundResult>({
      rounds: ROUNDS,
      subject: (warmUp) => apiRound(world, warmUp ? WARMUP_MS : ROUND_MS),
      baseline: (warmUp) => baselineRound(baseline, warmUp ? WARMUP_MS : ROUND_MS),
    });
    for (const [name, rounds] of [
      ['api', mix.subject],
      ['baseline', mix.baseline],
    ] as const) {
      log(
        `${name}: ${rounds.map((r) => `${r.rate.toFixed(0)}/s p99 ${r.p99.toFixed(1)} ms${r.errors ? ` (${r.errors} errors)` : ''}`).join(' · ')}`,
      );
    }
    const rss = rssMax;
    const health = await contest<number>({
      rounds: ROUNDS,
      subject: (warmUp) => healthRound(http, warmUp ? 1000 : HEALTH_ROUND_MS),
      baseline: null,
    });
    log(`health: ${health.subject.map((r) => `${r.toFixed(0)}/s`).join(' · ')}`);

    const apiRate = median(mix.subject.map((r) => r.rate));
    const baseRate = median(mix.baseline.map((r) => r.rate));
    const common = { concurrency: CONNECTIONS, rounds: ROUNDS, roundMs: ROUND_MS, mix: MIX };
    const lines: BenchLine[] = [
      benchLine({
        bench: BENCH,
        scenario: 'command-mix-c50',
        value: apiRate,
        unit: 'commands/s',
        baseline: baseRate,
        target: { ratio: 0.5 },
        extra: {
          ...common,
          p50: round2(median(mix.subject.map((r) => r.p50))),
          p99: round2(median(mix.subject.map((r) => r.p99))),
          errors: mix.subject.reduce((sum, r) => sum + r.errors, 0),
          baselineP99: round2(median(mix.baseline.map((r) => r.p99))),
          worker: 'separate (not in the api process)',
        },
      }),
      benchLine({
        bench: BENCH,
        scenario: 'command-p99-c50',
        value: median(mix.subject.map((r) => r.p99)),
        unit: 'ms',
        baseline: median(mix.baseline.map((r) => r.p99)),
        target: { max: 30 },
        extra: {
          ...common,
          p50: round2(median(mix.subject.map((r) => r.p50))),
          p99: round2(median(mix.subject.map((r) => r.p99))),
        },
      }),
      benchLine({
        bench: BENCH,
        scenario: 'api-rss',
        value: rss,
        unit: 'MB',
        target: { max: 250 },
        extra: { peakSinceStartMb: round2(started.memory().peakMb), sampledEveryMs: 250 },
      }),
      benchLine({
        bench: BENCH,
        scenario: 'health-live-c50',
        value: median(health.subject),
        unit: 'req/s',
        extra: { concurrency: CONNECTIONS, rounds: ROUNDS, roundMs: HEALTH_ROUND_MS },
      }),
    ];
    for (const line of lines) printBench(line);
    printTable(lines);
    log(`machine: nproc ${machine.nproc}, ${machine.cpu}, node ${machine.node}`);
  } finally {
    await cleanup.run();
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Framework, adoption, a trainer and, per connection, an open session and a probation team. */
async function setUp(http: BenchHttp): Promise<ApiWorld> {
  const sign = (sub: string, role: 'manager' | 'training-coordinator', jurisdiction: string) =>
    signToken({ sub, roles: [role], jurisdictions: [jurisdiction] }, SECRET);
  const regional = await sign('bench-regional', 'training-coordinator', '*');
  const coordinator = await sign('bench-coordinator', 'training-coordinator', JURISDICTION);
  const manager = await sign('bench-manager', 'manager', JURISDICTION);
  const ok = async (method: string, path: string, token: string, body: object = {}) => {
    const reply = await http.request(method, path, token, body);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} → ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const f = `/v1/frameworks/${FRAMEWORK}`;
  await ok('POST', '/v1/frameworks', regional, { version: FRAMEWORK, title: 'Benchmark framework (SAMPLE)' });
  for (const role of ['probation-officer', 'psychologist', 'trainer']) {
    await ok('POST', `${f}/roles`, regional, { role, title: role });
  }
  const policy = { validityMonths: 24, recertificationWindowDays: 60 };
  const levels = { awareness: policy, specialised: policy, expert: policy, trainer: policy };
  for (const competency of ['dynamic-security', 'vep-risk-assessment']) {
    await ok('POST', `${f}/competencies`, regional, { competency, title: competency, levels });
  }
  // A requirement exists, but not for the team role the mix assigns (new people hold nothing).
  await ok('POST', `${f}/requirements`, regional, {
    role: 'psychologist',
    competency: 'vep-risk-assessment',
    minLevel: 'specialised',
  });
  await ok('POST', `${f}/publish`, regional);
  await ok('POST', `/v1/jurisdictions/${JURISDICTION}/framework-adoptions`, regional, {
    version: FRAMEWORK,
    effectiveFrom: '2020-01-01T00:00:00Z',
  });
  const trainer = await ok('POST', '/v1/staff', manager, {
    agency: 'prison',
    jurisdiction: JURISDICTION,
    institution: 'Bench prison',
    role: 'trainer',
    name: 'Bench Trainer',
    email: 'bench.trainer@example.org',
    employeeRef: 'BENCH-TRAINER',
  });
  await ok('POST', `/v1/staff/${String(trainer.id)}/certifications`, coordinator, {
    competency: 'dynamic-security',
    level: 'trainer',
    validFrom: new Date(Date.now() - 30 * 86_400_000).toISOString(),
    evidence: { issuer: 'Bench academy', reference: 'BENCH-1' },
  });
  const programme = await ok('POST', '/v1/programmes', regional, {
    title: 'Bench programme',
    competencies: [{ competency: 'dynamic-security', level: 'awareness' }],
    kind: 'awareness',
    hours: 8,
    methodology: 'Benchmark',
  });
  const sessions: string[] = [];
  const teams: string[] = [];
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const session = await ok('POST', '/v1/sessions', coordinator, {
      programmeId: programme.id,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      location: 'Bench training centre',
      jurisdictions: [JURISDICTION],
      agencies: ['prison', 'probation'],
      trainers: [trainer.id],
      capacity: 1000,
    });
    sessions.push(String(session.id));
    const team = await ok('POST', '/v1/teams', manager, {
      name: `Bench team ${i}`,
      jurisdiction: JURISDICTION,
      institutions: ['Bench probation office'],
      kind: 'probation',
      caseRef: `BENCH-CASE-${i}`,
      requiredDisciplines: [{ role: 'probation-officer', minCount: 1 }],
    });
    teams.push(String(team.id));
  }
  return { http, manager, coordinator, jurisdiction: JURISDICTION, sessions, teams };
}

async function baselineWorld(pool: pg.Pool): Promise<BaselineWorld> {
  const template = async (type: string, streamPrefix?: string): Promise<EventTemplate> => {
    const { rows } = await pool.query<EventTemplate>(
      `SELECT type, data, metadata FROM cadre_es.events WHERE type = $1 ${streamPrefix ? 'AND stream_id LIKE $2' : ''} ORDER BY tx_id DESC LIMIT 1`,
      streamPrefix ? [type, `${streamPrefix}%`] : [type],
    );
    if (!rows[0]) throw new Error(`no ${type} event to copy for the baseline`);
    return rows[0];
  };
  const reservation = await pool.query<EventTemplate>(
    `SELECT type, data, metadata FROM cadre_es.events WHERE stream_id LIKE 'employee-ref-%' ORDER BY tx_id DESC LIMIT 1`,
  );
  const key = await pool.query<{ kek_id: string; wrapped: string }>(
    'SELECT kek_id, wrapped FROM cadre_keys.data_keys LIMIT 1',
  );
  const templates: BaselineWorld['templates'] = {
    EmployeeRefReserved: reservation.rows[0],
    StaffMemberRegistered: await template('StaffMemberRegistered'),
    SessionScheduled: await template('SessionScheduled'),
    ParticipantEnrolled: await template('ParticipantEnrolled'),
    AttendanceRecorded: await template('AttendanceRecorded'),
    TeamFormed: await template('TeamFormed'),
    MemberAssigned: await template('MemberAssigned'),
  };
  const streams: BaselineWorld['streams'] = [];
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const session = `session-baseline-${i}-${Date.now()}`;
    const team = `team-baseline-${i}-${Date.now()}`;
    streams.push({
      session,
      sessionRevision: await append(pool, session, 2, null, templates.SessionScheduled),
      team,
      teamRevision: await append(pool, team, 2, null, templates.TeamFormed),
    });
  }
  return {
    pool,
    jurisdiction: JURISDICTION,
    framework: FRAMEWORK,
    templates,
    dataKey: { kekId: key.rows[0].kek_id, wrapped: key.rows[0].wrapped },
    streams,
  };
}

async function measured(
  durationMs: number,
  iteration: (worker: number, samples: number[]) => Promise<number>,
): Promise<RoundResult> {
  const samples: number[] = [];
  let errors = 0;
  const rate = await throughput(CONNECTIONS, durationMs, async (worker) => {
    try {
      return await iteration(worker, samples);
    } catch (error) {
      errors += 1;
      if (errors <= 3) log(`  error: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  });
  return {
    rate,
    p50: samples.length ? percentile(samples, 50) : NaN,
    p99: samples.length ? percentile(samples, 99) : NaN,
    errors,
  };
}

const apiRound = (world: ApiWorld, durationMs: number) =>
  measured(durationMs, (worker, samples) => apiIteration(world, worker, samples));
const baselineRound = (world: BaselineWorld, durationMs: number) =>
  measured(durationMs, (worker, samples) => baselineIteration(world, worker, samples));

async function healthRound(http: BenchHttp, durationMs: number): Promise<number> {
  return throughput(CONNECTIONS, durationMs, async () => {
    const reply = await http.request('GET', '/health/live', null);
    return reply.status === 200 ? 1 : 0;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
