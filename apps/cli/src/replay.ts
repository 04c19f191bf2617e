import { HISTORY_SCHEMA } from '@cadre/projections';
import type { CliContext } from './cli-context.js';

type Values = Record<string, string | boolean | undefined>;

/** A date means the end of that day, UTC (DOMAIN.md, Time); an instant is taken as it is. */
export function parseInstant(value: string | boolean | undefined, name: string): Date {
  if (value === undefined) return new Date();
  if (typeof value !== 'string') throw new Error(`--${name} needs a date or an instant`);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--${name} "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 instant`);
  return date;
}

type Replay = (context: CliContext, asOf: Date, knownAt: Date) => Promise<Record<string, unknown>[]>;

/** Read models the CLI can replay as of a past moment, answered from their history tables. */
const replays: Record<string, Replay> = {
  // The log itself, as known at a moment: how many events of each stream category were recorded
  // by then, and the latest business time they speak of.
  history: async ({ pool }, asOf, knownAt) =>
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
  const rows = await replay(context, asOf, knownAt);
  process.stdout.write(
    `${readModel} as of ${asOf.toISOString()}, as known at ${knownAt.toISOString()} (UTC)\n`,
  );
  if (rows.length === 0) process.stdout.write('(no rows)\n');
  else console.table(rows);
  return 0;
}
