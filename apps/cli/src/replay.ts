import { systemClock } from '@cadre/kernel';
import type { DataSource } from 'typeorm';
import {
  HISTORY_SCHEMA,
  AssignmentLedgerQuery,
  ExpiryGapsReadQuery,
  JointTrainingReadQuery,
  MatrixConformanceReadQuery,
  CoverageReadQuery,
  TrainerRegistryReadQuery,
} from '@cadre/read-models';
import type { CliContext } from './cli-context.js';

type Values = Record<string, string | boolean | undefined>;

/** A date means the end of that day, UTC (DOMAIN.md, Time); an instant is taken as it is. */
export function parseInstant(value: string | boolean | undefined, name: string): Date {
  if (value === undefined) return systemClock.now();
  if (typeof value !== 'string') throw new Error(`--${name} needs a date or an instant`);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--${name} "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 instant`);
  return date;
}

/** What a replay is asked: the two clocks, the jurisdictions (null: all) and how many rows at most. */
interface ReplayQuery {
  readonly asOf: Date;
  readonly knownAt: Date;
  readonly scope: readonly string[] | null;
  readonly limit: number;
}

type Replay = (context: CliContext, query: ReplayQuery) => Promise<Record<string, unknown>[]>;

/** The api's read queries take TypeORM's DataSource and call only its `query(sql, params)`. */
const readModels = ({ pool }: CliContext): DataSource =>
  ({
    query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows,
  }) as unknown as DataSource;

const rowsOf = <Row extends object>(rows: readonly Row[]): Record<string, unknown>[] =>
  rows.map((row) => ({ ...row }) as Record<string, unknown>);

/** Read models the CLI can replay as of a past moment, answered from their history tables. */
const replays: Record<string, Replay> = {
  // The log itself, as known at a moment: how many events of each stream category were recorded
  // by then, and the latest business time they speak of.
  history: async ({ pool }, { asOf, knownAt }) =>
    (
      await pool.query(
        `SELECT split_part(stream, '-', 1) AS category, count(*)::int AS events, count(DISTINCT stream)::int AS streams,
                max(occurred_at) AS latest_occurred_at
           FROM ${HISTORY_SCHEMA}.events
          WHERE occurred_at <= $1 AND recorded_at <= $2
          GROUP BY 1 ORDER BY 1`,
        [asOf, knownAt],
      )
    ).rows,
  // The audit read models, answered by the api's own queries (GET /v1/audit/…): one page.
  coverage: async (context, query) =>
    rowsOf(await new CoverageReadQuery(readModels(context)).page(query, undefined, query.limit)),
  assignments: async (context, query) =>
    rowsOf(await new AssignmentLedgerQuery(readModels(context)).page(query, undefined, query.limit)),
  'expiry-gaps': async (context, query) =>
    rowsOf(
      await new ExpiryGapsReadQuery(readModels(context)).page(
        { ...query, within: 90 },
        undefined,
        query.limit,
      ),
    ),
  trainers: async (context, query) =>
    rowsOf(await new TrainerRegistryReadQuery(readModels(context)).page(query, undefined, query.limit)),
  'joint-training': async (context, query) =>
    rowsOf(
      (await new JointTrainingReadQuery(readModels(context)).shares({ ...query, months: 12 })).slice(
        0,
        query.limit,
      ),
    ),
  matrix: async (context, query) => {
    const answer = await new MatrixConformanceReadQuery(readModels(context)).answer(query, query.scope);
    return rowsOf(answer.jurisdictions as readonly object[]).slice(0, query.limit);
  },
};

export const REPLAYABLE = Object.keys(replays);

export async function replayReadModel(
  context: CliContext,
  readModel: string | undefined,
  values: Values,
): Promise<number> {
  const replay = readModel ? replays[readModel] : undefined;
  if (!replay) {
    process.stdout.write(`Name a read model to replay: ${REPLAYABLE.join(', ')}.\n`);
    return 2;
  }
  const asOf = parseInstant(values['as-of'], 'as-of');
  const knownAt = parseInstant(values['known-at'], 'known-at');
  const jurisdiction = values.jurisdiction;
  if (jurisdiction !== undefined && (typeof jurisdiction !== 'string' || !/^[A-Z]{2}$/.test(jurisdiction)))
    throw new Error(
      `--jurisdiction "${String(jurisdiction)}" is not a jurisdiction code (AL, BA, XK, ME, MK, RS)`,
    );
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new Error(`--limit "${String(values.limit)}" is not a whole number from 1 to 10000`);
  const rows = await replay(context, { asOf, knownAt, scope: jurisdiction ? [jurisdiction] : null, limit });
  process.stdout.write(
    `${readModel} as of ${asOf.toISOString()}, as known at ${knownAt.toISOString()} (UTC)` +
      `${jurisdiction ? `, ${jurisdiction}` : ''}; at most ${limit} rows\n`,
  );
  if (rows.length === 0) process.stdout.write('(no rows)\n');
  else console.table(rows);
  return 0;
}
