/**
 * `npm run bench:projections`: rebuilding every read model over a generated event log, against
 * PostgreSQL `COPY` loading the same final rows, and the audit queries on that data (see docs
 * BENCHMARKS.md and issue 4, item 7). It creates and drops a database of its own on DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres). Exit code 0 even when a target is missed.
 *
 *  (i)   generate BENCH_EVENTS events (a realistic mix over the six jurisdictions, see
 *        projections/generate.ts) with multi-row INSERTs into cadre_es.events, hash chains intact;
 *  (ii)  rebuild ALL read models (`readModelProjections`) with the real ProjectionRebuilder's
 *        `rebuildAll`, BENCH_CONCURRENCY at a time (its default, as `cadre projections:rebuild
 *        all`) — target ≥ 25,000 events/s overall (log events / wall seconds of the whole);
 *        each projection reported too (the seconds of its own work within the one shared pass);
 *  (iii) baseline: COPY (pg-copy-streams, TO STDOUT piped into FROM STDIN) of the rebuilt tables'
 *        final rows into empty copies of those tables — target rebuild rows/s ≥ 0.25× COPY rows/s;
 *  (iv)  the audit queries (the api's query classes) at `asOf` now and in the past — target
 *        p95 ≤ 50 ms. Queries run under a statement timeout (BENCH_QUERY_TIMEOUT_MS, 15 s): one whose
 *        warm-up call times out is reported at the timeout, as a lower bound, and not repeated.
 *
 * A rebuild of the full log is one round per projection (too long to repeat within the run's
 * budget), after a warm-up that applies each projection's first page into a scratch schema; COPY
 * and the queries run a warm-up and 3 rounds and report medians. BENCH_SCALE_EVENTS (default
 * BENCH_EVENTS / 4, 0 to skip) runs (i)–(ii) once more on a smaller log in a second database, to
 * show how the rate scales with the log's size.
 *
 * To iterate on the queries without regenerating and rebuilding: BENCH_KEEP_DATABASE=1 keeps the
 * full run's database (its URL is printed) instead of dropping it; BENCH_ONLY=queries with
 * BENCH_DATABASE_URL=<that URL> runs only (iv) against it. BENCH_QUERIES=name,name… (e.g.
 * `expiry-gaps,trainers`) limits (iv) to those queries.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { PostgresEventStore, UpcasterChain } from '@cadre/event-store';
import {
  ALL_EVENTS,
  DEFAULT_CONCURRENCY,
  DEFAULT_REBUILD_BATCH,
  type Projection,
} from '@cadre/subscriptions';
import { READ_MODEL_SESSION_OPTIONS, readModelProjections } from '@cadre/read-models';
import { benchLine, log, printBench, printTable, type BenchLine } from './support/bench-line.js';
import { Cleanup, createBenchDatabase, DEFAULT_DATABASE_URL } from './support/database.js';
import { machineFacts, serverVersion } from './support/machine.js';
import { median, percentile, round } from './support/stats.js';
import { latencies } from './support/timing.js';
import { copyRound, dropCopies, prepareCopies, type CopyTable } from './projections/copy-baseline.js';
import { generateLog, type GeneratedLog } from './projections/generate.js';
import { auditQueries } from './projections/queries.js';
import { rebuildProjections, type RebuildResult } from './projections/rebuild.js';

const BENCH = 'projections';
/**
 * The issue asks for 1,000,000 events; on this shared 2-core machine the rebuild of all read
 * models runs at a few thousand events/s, so 1M takes several minutes on top of generating the
 * log, the COPY baseline of its ~7M rows and the queries. The default is 200,000 (plus the 50,000
 * scaling run) to stay near 10 minutes; BENCH_EVENTS=1000000 runs the full size (the npm script
 * raises Node's heap limit: a rebuild keeps the bitemporal facts in memory, decision 0008).
 */
const ISSUE_EVENTS = 1_000_000;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const SCALE_EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? Math.round(EVENTS / 4));
/** The rebuilder's own default batch size. */
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? DEFAULT_REBUILD_BATCH);
/** Projections rebuilt at once, as `cadre projections:rebuild all` does (its default). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_CONCURRENCY);
const ROUNDS = 3;
const CALLS_PER_ROUND = Number(process.env.BENCH_QUERY_CALLS ?? 20);
const SLOW_QUERY_MS = 1000;
const QUERY_TIMEOUT_MS = Number(process.env.BENCH_QUERY_TIMEOUT_MS ?? 15_000);
const PAST = new Date(process.env.BENCH_PAST_AS_OF ?? '2023-03-31T23:59:59.999Z');
const TARGET_EVENTS_PER_SECOND = 25_000;
const TARGET_COPY_RATIO = 0.25;
const TARGET_QUERY_P95_MS = 50;
/**
 * The eligibility check's scenario (issue 10): the full run's log gets staff registered in one
 * jurisdiction on top of the mix until it has BENCH_ELIGIBILITY_STAFF active staff (default 5,000;
 * 0: none added, e.g. to compare the other scenarios with a run of a commit without it). Its
 * target is the issue's p95 ≤ 200 ms, not the audit queries' 50 ms.
 */
const ELIGIBILITY_STAFF = Number(process.env.BENCH_ELIGIBILITY_STAFF ?? 5000);
const CROWDED_JURISDICTION = 'AL';
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
const ONLY_QUERIES = process.env.BENCH_ONLY === 'queries';
const QUERY_NAMES = process.env.BENCH_QUERIES?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);

const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The bench's fake seal (generate.ts) reversed, as the vault's unseal would give it. */
const unseal = async (_staffId: string, _field: string, sealed: unknown): Promise<string | null> => {
  const ciphertext = (sealed as { ciphertext?: unknown } | null)?.ciphertext;
  return typeof ciphertext === 'string' ? Buffer.from(ciphertext, 'base64').toString('utf8') : null;
};

const projections = (): Projection[] => readModelProjections({ unseal });

async function generate(
  url: string,
  events: number,
  crowd?: { jurisdiction: string; activeStaff: number },
): Promise<{ log: GeneratedLog; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const start = performance.now();
    let next = 0;
    const generated = await generateLog(client, events, {
      ...(crowd ? { crowd } : {}),
      onProgress: (written) => {
        if (written >= next) {
          log(`  generated ${written.toLocaleString('en')} events`);
          next += Math.max(100_000, Math.round(events / 5));
        }
      },
    });
    const seconds = (performance.now() - start) / 1000;
    await client.query('ANALYZE cadre_es.events');
    return { log: generated, seconds };
  } finally {
    await client.end();
  }
}

/** JIT and plan-cache warm-up: each projection applies its first page into a scratch schema. */
async function warmUp(store: PostgresEventStore, pool: pg.Pool): Promise<void> {
  for (const projection of projections()) {
    const schema = `${projection.schema}__warm`;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const tx = {
        schema,
        query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[])).rows as Row[],
      };
      await projection.createTables(tx, schema);
      const all = projection.handles.includes(ALL_EVENTS);
      const page = await store.readAll({
        limit: BATCH_SIZE,
        filter: all ? undefined : { eventTypePrefixes: projection.handles },
      });
      const handles = new Set(projection.handles);
      await projection.apply(all ? page : page.filter((e) => handles.has(e.type)), tx);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  }
}

async function rebuildAll(
  store: PostgresEventStore,
  pool: pg.Pool,
  label: string,
): Promise<{ results: RebuildResult[]; seconds: number }> {
  return rebuildProjections(store, pool, projections(), BATCH_SIZE, CONCURRENCY, (result) =>
    log(
      `  ${label} ${result.projection}: ${result.events.toLocaleString('en')} events, ${result.workSeconds.toFixed(1)} s of its own work in a ${result.seconds.toFixed(1)} s pass → ${result.rows.toLocaleString('en')} rows (load ${loadAverage()})`,
    ),
  );
}

async function onDatabase<T>(
  adminUrl: string,
  cleanup: Cleanup,
  work: (url: string, store: PostgresEventStore, pool: pg.Pool) => Promise<T>,
  keep = false,
): Promise<T> {
  const created = await createBenchDatabase('projections', adminUrl);
  const database = keep ? { ...created, drop: async () => undefined } : created;
  if (keep)
    process.stdout.write(`database kept (BENCH_KEEP_DATABASE=1): BENCH_DATABASE_URL=${created.url}\n`);
  cleanup.add(() => database.drop());
  // Composed as the app composes it: reads upcast (decision 0014).
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    poolSize: 4,
    upcast: new UpcasterChain(EVENT_EVOLUTION).upcast,
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  pool.on('error', () => undefined);
  try {
    return await work(database.url, store, pool);
  } finally {
    await pool.end();
    await store.close();
    await database.drop();
  }
}

/** (iv) the audit queries at `asOf` now and in the past, on the database at `url`. */
async function runQueries(
  url: string,
  sampleStaff: readonly string[],
  sampleTeams: readonly string[],
  emit: (line: BenchLine) => void,
): Promise<void> {
  // The queries' own pool, with a statement timeout: a query far over its target (the
  // expiry-gaps page took about a minute at 200,000 events) is reported as timed out rather
  // than stretching the run by minutes.
  // The session options of the api's read-model pool (JIT off), and a statement timeout.
  const queryPool = new pg.Pool({
    connectionString: url,
    max: 4,
    statement_timeout: QUERY_TIMEOUT_MS,
    options: READ_MODEL_SESSION_OPTIONS,
  });
  queryPool.on('error', () => undefined);
  const queries = (await auditQueries(queryPool, sampleStaff, sampleTeams)).filter(
    (query) => !QUERY_NAMES || QUERY_NAMES.includes(query.name),
  );
  for (const query of queries) {
    const targetMs = query.targetMs ?? TARGET_QUERY_P95_MS;
    const instants = [
      ['now', new Date()],
      ['past', PAST],
    ] as const;
    for (const [when, asOf] of instants.filter(([when]) => !query.nowOnly || when === 'now')) {
      // Warm-up; a slow query gets fewer calls per round so one scenario stays near 10 s, and one
      // slower than SLOW_QUERY_MS gets a single call per round (its p95 is then that call).
      // A call cut by the statement timeout counts at the time it took (about the timeout).
      let timeouts = 0;
      const run = (i: number): Promise<number> =>
        query.run(i, asOf).catch((error: unknown) => {
          if ((error as { code?: string }).code !== '57014') throw error;
          timeouts += 1;
          return 0;
        });
      const first = await latencies(1, run);
      const timedOut = timeouts > 0;
      if (timedOut) {
        // Timed out: the target is missed whatever the timeout (it is a lower bound).
        emit({
          ...benchLine({
            bench: BENCH,
            scenario: `query-${query.name}-asof-${when}`,
            value: QUERY_TIMEOUT_MS,
            unit: 'ms',
            target: { max: targetMs },
            extra: {
              stat: `lower bound: the warm-up call hit statement_timeout (${QUERY_TIMEOUT_MS} ms); not repeated`,
              timedOut: true,
              asOf: asOf.toISOString(),
              calls: 1,
            },
          }),
          pass: false,
        });
        continue;
      }
      const warm = first[0] > SLOW_QUERY_MS ? first : [...first, ...(await latencies(2, (i) => run(i + 1)))];
      const calls =
        first[0] > SLOW_QUERY_MS
          ? 1
          : Math.max(3, Math.min(CALLS_PER_ROUND, Math.floor(10_000 / (ROUNDS * median(warm)))));
      const p95s: number[] = [];
      const samples: number[] = [];
      let rows = 0;
      for (let r = 0; r < ROUNDS; r += 1) {
        const round = await latencies(calls, async (i) => {
          rows += await run(r * calls + i);
        });
        p95s.push(percentile(round, 95));
        samples.push(...round);
      }
      emit(
        benchLine({
          bench: BENCH,
          scenario: `query-${query.name}-asof-${when}`,
          value: median(p95s),
          unit: 'ms',
          target: { max: targetMs },
          extra: {
            stat: calls === 1 ? 'p95 (one call per round: the query is slower than 1 s)' : 'p95',
            p50: round(percentile(samples, 50)),
            p99: round(percentile(samples, 99)),
            asOf: asOf.toISOString(),
            calls: samples.length,
            meanRows: round(rows / samples.length),
            ...query.describe?.(),
            ...(timeouts > 0 ? { timedOutCalls: timeouts } : {}),
          },
        }),
      );
    }
  }
  await queryPool.end();
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const lines: BenchLine[] = [];
  const emit = (line: BenchLine): void => {
    lines.push(line);
    printBench(line);
  };
  try {
    const adminUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    const facts = machineFacts();
    const server = await serverVersion(adminUrl);
    const masked = new URL(adminUrl);
    const loadAtStart = loadAverage();
    process.stdout.write(
      `machine: nproc=${facts.nproc} node=${facts.node} cpu="${facts.cpu}" postgresql=${server} (${masked.host}) load average at start: ${loadAtStart}\n`,
    );
    if (EVENTS < ISSUE_EVENTS && !ONLY_QUERIES)
      process.stdout.write(
        `note: ${EVENTS.toLocaleString('en')} events, not the issue's ${ISSUE_EVENTS.toLocaleString('en')}: the default is smaller to keep the run near 10 minutes (BENCH_EVENTS=${ISSUE_EVENTS} for the full size); the scaling run shows how the rate changes with the log's size\n`,
      );
    if (!ONLY_QUERIES)
      process.stdout.write(
        `events: ${EVENTS.toLocaleString('en')} (BENCH_EVENTS); scaling run: ${SCALE_EVENTS > 0 ? SCALE_EVENTS.toLocaleString('en') : 'skipped'} (BENCH_SCALE_EVENTS); rebuild batch ${BATCH_SIZE}\n`,
      );

    if (ONLY_QUERIES) {
      // (iv) only, against a database an earlier run kept (BENCH_KEEP_DATABASE=1).
      const url = process.env.BENCH_DATABASE_URL;
      if (!url)
        throw new Error(
          'BENCH_ONLY=queries needs BENCH_DATABASE_URL (a database kept by BENCH_KEEP_DATABASE=1)',
        );
      const samples = async (prefix: string): Promise<string[]> => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ id: string }>(
            `SELECT DISTINCT substr(stream_id, $2) AS id FROM cadre_es.events WHERE stream_id LIKE $1 ORDER BY 1 LIMIT 200`,
            [`${prefix}%`, prefix.length + 1],
          );
          return rows.map((r) => r.id);
        } finally {
          await client.end();
        }
      };
      log(`queries only, on ${url}`);
      await runQueries(url, await samples('staff-'), await samples('team-'), emit);
      printTable(lines);
      process.stdout.write(`load average at start: ${loadAtStart}; at end: ${loadAverage()}\n`);
      return;
    }

    // ---------------------------------------------------------------- the scaling run (smaller log)
    let scale: { events: number; seconds: number; results: RebuildResult[] } | null = null;
    if (SCALE_EVENTS > 0) {
      log(`scaling run: ${SCALE_EVENTS.toLocaleString('en')} events`);
      scale = await onDatabase(adminUrl, cleanup, async (_url, store, pool) => {
        const generated = await generate(_url, SCALE_EVENTS);
        await warmUp(store, pool);
        const rebuilt = await rebuildAll(store, pool, `[${SCALE_EVENTS}]`);
        return { events: generated.log.events, seconds: rebuilt.seconds, results: rebuilt.results };
      });
    }

    // ---------------------------------------------------------------- the full run
    log(`full run: ${EVENTS.toLocaleString('en')} events`);
    await onDatabase(
      adminUrl,
      cleanup,
      async (url, store, pool) => {
        const crowd =
          ELIGIBILITY_STAFF > 0
            ? { jurisdiction: CROWDED_JURISDICTION, activeStaff: ELIGIBILITY_STAFF }
            : undefined;
        const { log: generated, seconds: generateSeconds } = await generate(url, EVENTS, crowd);
        log(
          `generated ${generated.events.toLocaleString('en')} events in ${generateSeconds.toFixed(1)} s (${Math.round(generated.events / generateSeconds)} events/s): ` +
            `${generated.staff} staff, ${generated.sessions} sessions, ${generated.teams} teams, ${generated.streams} streams, business time ${generated.firstAt} … ${generated.lastAt}`,
        );
        log(`  mix: ${JSON.stringify(generated.byType)}`);
        for (const stream of [
          'framework-v1',
          'jurisdiction-AL',
          ...generated.sampleStaff.slice(0, 5).map((id) => `staff-${id}`),
          ...generated.sampleTeams.slice(0, 5).map((id) => `team-${id}`),
        ]) {
          const integrity = await store.verifyStream(stream);
          if (!integrity.ok)
            throw new Error(
              `generated stream ${stream} fails integrity: ${JSON.stringify(integrity.problems[0])}`,
            );
        }
        log('  integrity: sampled streams verify');

        // ---------------------------------------------------------------- (ii) rebuild
        await warmUp(store, pool);
        log(`rebuilding ${projections().length} read models (one round each), load ${loadAverage()}`);
        const { results, seconds } = await rebuildAll(store, pool, 'rebuilt');
        const totalRows = results.reduce((sum, r) => sum + r.rows, 0);

        // ---------------------------------------------------------------- (iii) COPY baseline
        const tables: CopyTable[] = projections().flatMap((p) =>
          p.tables.map((table) => ({ schema: p.schema, table })),
        );
        await prepareCopies(pool, tables);
        await copyRound(pool, tables); // warm-up
        const rounds: Map<CopyTable, number>[] = [];
        for (let r = 0; r < ROUNDS; r += 1) rounds.push(await copyRound(pool, tables));
        const copySecondsOf = (filter: (t: CopyTable) => boolean): number =>
          median(
            rounds.map((round) => [...round].filter(([t]) => filter(t)).reduce((sum, [, s]) => sum + s, 0)),
          );
        const copySeconds = copySecondsOf(() => true);
        await dropCopies(pool);
        log(
          `COPY baseline: ${totalRows.toLocaleString('en')} rows in ${copySeconds.toFixed(2)} s (median of ${ROUNDS})`,
        );

        const loadNow = loadAverage();
        emit(
          benchLine({
            bench: BENCH,
            scenario: 'rebuild-all',
            value: generated.events / seconds,
            unit: 'events/s',
            target: { min: TARGET_EVENTS_PER_SECOND },
            extra: {
              events: generated.events,
              projections: results.length,
              seconds: round(seconds),
              rounds: 1,
              batchSize: BATCH_SIZE,
              concurrency: CONCURRENCY,
              // The bench process's peak resident memory so far: the rebuild keeps the
              // bitemporal read models' facts in memory (decision 0008).
              peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
              loadAverage: loadNow,
            },
          }),
        );
        emit(
          benchLine({
            bench: BENCH,
            scenario: 'rebuild-all-rows-vs-copy',
            value: totalRows / seconds,
            unit: 'rows/s',
            baseline: totalRows / copySeconds,
            target: { ratio: TARGET_COPY_RATIO },
            extra: {
              rows: totalRows,
              rebuildSeconds: round(seconds),
              copySeconds: round(copySeconds),
              baselineMethod: 'pg-copy-streams COPY TO STDOUT | COPY FROM STDIN',
              copyRounds: ROUNDS,
              loadAverage: loadNow,
            },
          }),
        );
        for (const r of results) {
          const projection = projections().find((p) => p.name === r.projection)!;
          const copy = copySecondsOf((t) => t.schema === projection.schema);
          const small = scale?.results.find((s) => s.projection === r.projection);
          emit(
            benchLine({
              bench: BENCH,
              scenario: `rebuild-${r.projection}`,
              // One pass over the log applies every projection: each one's rate is over the
              // seconds of its own work in it (applying, writing, comparing).
              value: r.events / r.workSeconds,
              unit: 'events/s',
              extra: {
                events: r.events,
                workSeconds: round(r.workSeconds),
                passSeconds: round(r.seconds),
                rows: r.rows,
                rowsPerSecond: round(r.rows / r.workSeconds),
                copyRowsPerSecond: copy > 0 ? round(r.rows / copy) : null,
                rowsRatio:
                  copy > 0 ? Math.round((r.rows / r.workSeconds / (r.rows / copy)) * 100) / 100 : null,
                ...(small && scale
                  ? { [`eventsPerSecondAt${scale.events}`]: round(small.events / small.workSeconds) }
                  : {}),
                rounds: 1,
                concurrency: CONCURRENCY,
              },
            }),
          );
        }
        if (scale) {
          emit(
            benchLine({
              bench: BENCH,
              scenario: `rebuild-all-at-${scale.events}`,
              value: scale.events / scale.seconds,
              unit: 'events/s',
              target: { min: TARGET_EVENTS_PER_SECOND },
              extra: {
                events: scale.events,
                seconds: round(scale.seconds),
                rounds: 1,
                note: 'scaling run on a smaller log',
              },
            }),
          );
        }

        // ---------------------------------------------------------------- (iv) audit queries
        await pool.query('ANALYZE');
        await runQueries(url, generated.sampleStaff, generated.sampleTeams, emit);
      },
      KEEP_DATABASE,
    );
    printTable(lines);
    process.stdout.write(`load average at start: ${loadAtStart}; at end: ${loadAverage()}\n`);
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:projections failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
