/**
 * `npm run bench:delivery`: how soon an HR system sees a certification event (issue 5, item 6; see
 * docs BENCHMARKS.md). It creates and drops a database of its own on DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), starts the built api (dist/server/main.js) on
 * 127.0.0.1 as a child process, so that the load generator and the consumers below do not share
 * its event loop, and beside it the standalone worker (projections, processes, webhook delivery), as
 * docker compose runs them (BENCH_TOPOLOGY=single: the worker inside the api, as `npm start` does). Set-up over HTTP: a framework adopted by AL and RS, and staff members registered
 * through `POST /v1/staff` (personal data sealed by the api's vault, as in real use).
 *
 * Load: certification awards (`CertificationAwarded`, or `CertificationRenewed` when the member
 * holds the competency at that level) appended to the staff streams by this process through
 * `handleCommand` and the staff decider, paced at BENCH_RATE (1,000) events/s. A warm-up, then
 * BENCH_ROUNDS (3) rounds of BENCH_ROUND_MS (10 s); after each round, up to BENCH_DRAIN_MS for the
 * stragglers. Lag = when the consumer received the event − when its append was acknowledged, per
 * event, on this process's clock. Three consumers see the same events at the same time:
 *
 *  (a) feed-lag-1000eps: an HR system long-polling `GET /v1/feeds/certifications?after=…&wait=10`
 *      over HTTP — target p99 ≤ 100 ms;
 *  (b) webhook-lag-1000eps: a receiver on 127.0.0.1, subscribed through
 *      `POST /v1/webhook-subscriptions`, verifying every signature with `standardwebhooks` —
 *      target p99 ≤ 250 ms;
 *  (c) store-subscription-lag-1000eps, the baseline of both: the raw `subscribeToAll` of a store
 *      instance of its own (woken by LISTEN/NOTIFY, as the api process is).
 *
 * `value` is the median over the rounds of each round's p99 (p50 alongside); `ratio` = value / the
 * baseline's. Exit code 0 even when a target is missed.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { PostgresEventStore, UpcasterChain } from '@cadre/event-store';
import { signToken } from '@cadre/platform';
import { startApiProcess, startWorkerProcess, type ApiProcess } from './api/api-process.js';
import { BenchHttp } from './api/http.js';
import { CertificationLoad } from './delivery/certification-load.js';
import { feedConsumer, storeConsumer, webhookReceiver, type Sightings } from './delivery/consumers.js';
import { benchLine, log, printBench, printTable, type BenchLine } from './support/bench-line.js';
import { Cleanup, createBenchDatabase, DEFAULT_DATABASE_URL } from './support/database.js';
import { machineFacts, serverVersion } from './support/machine.js';
import { median, percentile } from './support/stats.js';

const BENCH = 'delivery';
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 10_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 15_000);
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const STAFF = Number(process.env.BENCH_STAFF ?? 400);
/**
 * `split` (default): the api and the standalone worker as two processes, as docker compose runs
 * them in production; `single`: the worker inside the api, as `npm start` runs it;
 * `webhook-worker`: the api, a worker for the read models and processes, and a worker of its own
 * for webhook delivery (CADRE_WORKER_ROLES).
 */
const TOPOLOGIES = ['split', 'single', 'webhook-worker'] as const;
const TOPOLOGY: (typeof TOPOLOGIES)[number] =
  TOPOLOGIES.find((t) => t === process.env.BENCH_TOPOLOGY) ?? 'split';
const FEED_WAIT_SECONDS = 10;
const SECRET = 'bench-delivery-secret-0123456789-abcdefghijklmnop';
const FRAMEWORK = 'bench-delivery-v1';
const JURISDICTIONS = ['AL', 'RS'] as const;
const COMPETENCIES = ['dynamic-security', 'vep-risk-assessment', 'radicalisation-awareness'];

interface Consumer {
  readonly name: 'feed' | 'webhook' | 'store';
  readonly seen: Sightings;
}

interface RoundLags {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly missed: number;
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const machine = machineFacts();
  const pgVersion = await serverVersion(adminUrl);
  const loadBefore = os.loadavg();
  log(
    `bench:delivery — nproc ${machine.nproc}, node ${machine.node}, PostgreSQL ${pgVersion}, load average ${loadText(loadBefore)}`,
  );
  const database = await createBenchDatabase('delivery', adminUrl);
  cleanup.add(() => database.drop());
  try {
    const env = {
      DATABASE_URL: database.url,
      CADRE_JWT_SECRET: SECRET,
      CADRE_RATE_LIMIT_PER_MINUTE: '0',
      CADRE_CHECKPOINT_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    };
    const api: ApiProcess = await startApiProcess({
      ...env,
      CADRE_IN_PROCESS_WORKER: TOPOLOGY === 'single' ? 'true' : 'false',
    });
    cleanup.add(() => api.stop());
    if (TOPOLOGY === 'single') {
      log(
        `api started with its in-process worker, as npm start runs it (pid ${api.pid}, 127.0.0.1:${api.port})`,
      );
    } else if (TOPOLOGY === 'split') {
      const worker = await startWorkerProcess(env);
      cleanup.add(() => worker.stop());
      log(
        `api (pid ${api.pid}, 127.0.0.1:${api.port}) and worker (pid ${worker.pid}) as two processes, as docker compose runs them`,
      );
    } else {
      const worker = await startWorkerProcess({ ...env, CADRE_WORKER_ROLES: 'projections,processes' });
      cleanup.add(() => worker.stop());
      const delivery = await startWorkerProcess({ ...env, CADRE_WORKER_ROLES: 'webhooks' });
      cleanup.add(() => delivery.stop());
      log(
        `api (pid ${api.pid}, 127.0.0.1:${api.port}), a worker for read models and processes (pid ${worker.pid}) and one for webhook delivery (pid ${delivery.pid})`,
      );
    }

    const http = new BenchHttp('127.0.0.1', api.port, 8);
    cleanup.add(async () => http.close());
    const staffIds = await setUp(http);
    log(
      `set up: framework ${FRAMEWORK} adopted by ${JURISDICTIONS.join(', ')}, ${staffIds.length} staff members`,
    );

    const writer = await PostgresEventStore.connect({
      connectionString: database.url,
      poolSize: 16,
      applicationName: 'cadre-bench-delivery-writer',
      upcast: new UpcasterChain(EVENT_EVOLUTION).upcast,
    });
    cleanup.add(() => writer.close());
    const observer = await PostgresEventStore.connect({
      connectionString: database.url,
      poolSize: 4,
      applicationName: 'cadre-bench-delivery-observer',
      upcast: new UpcasterChain(EVENT_EVOLUTION).upcast,
    });
    cleanup.add(() => observer.close());
    const load = await CertificationLoad.of(writer, FRAMEWORK, staffIds, COMPETENCIES);

    const hr = await signToken({ sub: 'bench-hr', roles: ['hr-system'], jurisdictions: ['*'] }, SECRET);
    const receiver = await webhookReceiver();
    cleanup.add(() => receiver.stop());
    const created = await http.request('POST', '/v1/webhook-subscriptions', hr, {
      url: receiver.url,
      from: 'now',
    });
    if (created.status !== 201 && created.status !== 200) {
      throw new Error(`POST /v1/webhook-subscriptions → ${created.status}: ${JSON.stringify(created.body)}`);
    }
    receiver.setSecret(String(created.body.secret));
    const start = (created.body.cursor as string | null) ?? null;
    const feed = feedConsumer(api.port, hr, start, FEED_WAIT_SECONDS);
    cleanup.add(() => feed.stop());
    const store = storeConsumer(observer, start);
    cleanup.add(() => store.stop());
    const consumers: Consumer[] = [
      { name: 'feed', seen: feed.seen },
      { name: 'webhook', seen: receiver.seen },
      { name: 'store', seen: store.seen },
    ];

    log(`warm-up: ${WARMUP_MS} ms at ${RATE} events/s`);
    await round(load, consumers, (RATE * WARMUP_MS) / 1000);
    const results: Record<Consumer['name'], RoundLags[]> = { feed: [], webhook: [], store: [] };
    const rates: number[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      const measured = await round(load, consumers, (RATE * ROUND_MS) / 1000);
      rates.push(measured.rate);
      for (const consumer of consumers) results[consumer.name].push(measured.lags[consumer.name]);
      log(
        `round ${r + 1}: ${measured.rate.toFixed(0)} events/s appended${measured.errors ? ` (${measured.errors} errors)` : ''}, ` +
          consumers
            .map((c) => {
              const l = measured.lags[c.name];
              return `${c.name} p50 ${l.p50.toFixed(1)} p99 ${l.p99.toFixed(1)} max ${l.max.toFixed(0)} ms${l.missed ? ` (${l.missed} missed)` : ''}`;
            })
            .join(' · ') +
          `, load average ${loadText(os.loadavg())}`,
      );
    }
    const loadAfter = os.loadavg();

    const summary = (name: Consumer['name']) => ({
      p50: round2(median(results[name].map((r) => r.p50))),
      p99: round2(median(results[name].map((r) => r.p99))),
      max: round2(Math.max(...results[name].map((r) => r.max))),
      missed: results[name].reduce((sum, r) => sum + r.missed, 0),
      roundsP99: results[name].map((r) => round2(r.p99)),
    });
    const base = summary('store');
    const common = {
      topology: TOPOLOGY,
      rate: RATE,
      appendedPerSecond: Math.round(median(rates)),
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      staff: staffIds.length,
      loadAverage: { before: loadBefore.map(round2), after: loadAfter.map(round2) },
    };
    const lines: BenchLine[] = [
      benchLine({
        bench: BENCH,
        scenario: `feed-lag-${RATE}eps`,
        value: summary('feed').p99,
        unit: 'ms',
        baseline: base.p99,
        target: { max: 100 },
        extra: {
          ...summary('feed'),
          baselineP50: base.p50,
          ...common,
          longPollWaitSeconds: FEED_WAIT_SECONDS,
          errors: feed.errors(),
        },
      }),
      benchLine({
        bench: BENCH,
        scenario: `webhook-lag-${RATE}eps`,
        value: summary('webhook').p99,
        unit: 'ms',
        baseline: base.p99,
        target: { max: 250 },
        extra: {
          ...summary('webhook'),
          baselineP50: base.p50,
          ...common,
          rejectedSignatures: receiver.rejected(),
          repeats: receiver.repeats(),
        },
      }),
      benchLine({
        bench: BENCH,
        scenario: `store-subscription-lag-${RATE}eps`,
        value: base.p99,
        unit: 'ms',
        extra: { ...base, ...common },
      }),
    ];
    for (const line of lines) printBench(line);
    printTable(lines);
    log(
      `machine: nproc ${machine.nproc}, ${machine.cpu}, node ${machine.node}, PostgreSQL ${pgVersion}; ` +
        `load average before ${loadText(loadBefore)}, after ${loadText(loadAfter)}`,
    );
  } finally {
    await cleanup.run();
  }
}

/** Appends `count` events at RATE, waits for every consumer to see them (or DRAIN_MS), and measures. */
async function round(load: CertificationLoad, consumers: readonly Consumer[], count: number) {
  const result = await load.run(Math.round(count), RATE);
  const ids = [...result.committed.keys()];
  const deadline = performance.now() + DRAIN_MS;
  while (performance.now() < deadline && !consumers.every((c) => ids.every((id) => c.seen.has(id)))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lags = {} as Record<Consumer['name'], RoundLags>;
  for (const consumer of consumers) {
    const samples: number[] = [];
    let missed = 0;
    for (const [id, at] of result.committed) {
      const seen = consumer.seen.get(id);
      if (seen === undefined) missed += 1;
      else samples.push(seen - at);
    }
    // A missed event counts as late as the drain allowed: it must not flatter the percentiles.
    for (let i = 0; i < missed; i += 1) samples.push(DRAIN_MS);
    lags[consumer.name] = {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: Math.max(...samples),
      missed,
    };
  }
  return { rate: result.rate, errors: result.errors, lags };
}

/** Framework (roles, competencies, published), adopted by each jurisdiction; staff registered over HTTP. */
async function setUp(http: BenchHttp): Promise<string[]> {
  const regional = await signToken(
    { sub: 'bench-regional', roles: ['training-coordinator'], jurisdictions: ['*'] },
    SECRET,
  );
  const manager = await signToken(
    { sub: 'bench-manager', roles: ['manager'], jurisdictions: [...JURISDICTIONS] },
    SECRET,
  );
  const ok = async (method: string, path: string, token: string, body: object = {}) => {
    const reply = await http.request(method, path, token, body);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} → ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const f = `/v1/frameworks/${FRAMEWORK}`;
  await ok('POST', '/v1/frameworks', regional, {
    version: FRAMEWORK,
    title: 'Delivery benchmark framework (SAMPLE)',
  });
  for (const role of ['probation-officer', 'psychologist', 'front-line-security-officer']) {
    await ok('POST', `${f}/roles`, regional, { role, title: role });
  }
  const policy = { validityMonths: 24, recertificationWindowDays: 60 };
  const levels = { awareness: policy, specialised: policy, expert: policy, trainer: policy };
  for (const competency of COMPETENCIES) {
    await ok('POST', `${f}/competencies`, regional, { competency, title: competency, levels });
  }
  await ok('POST', `${f}/publish`, regional);
  for (const jurisdiction of JURISDICTIONS) {
    await ok('POST', `/v1/jurisdictions/${jurisdiction}/framework-adoptions`, regional, {
      version: FRAMEWORK,
      effectiveFrom: '2020-01-01T00:00:00Z',
    });
  }
  const roles = ['probation-officer', 'psychologist', 'front-line-security-officer'];
  const staff: string[] = new Array<string>(STAFF);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < STAFF; i = next++) {
        const jurisdiction = JURISDICTIONS[i % JURISDICTIONS.length];
        const role = roles[i % roles.length];
        const reply = await ok('POST', '/v1/staff', manager, {
          agency: role === 'front-line-security-officer' ? 'prison' : 'probation',
          jurisdiction,
          institution: `Bench ${jurisdiction} office`,
          role,
          name: `Bench Member ${i}`,
          email: `bench.member.${i}@example.org`,
          employeeRef: `${jurisdiction}-BENCH-${String(i).padStart(5, '0')}`,
        });
        staff[i] = String(reply.id);
      }
    }),
  );
  return staff;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const loadText = (load: readonly number[]) => load.map((v) => v.toFixed(2)).join(' ');

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
