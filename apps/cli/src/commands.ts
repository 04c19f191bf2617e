import { systemClock } from '@cadre/kernel';
import cliProgress from 'cli-progress';
import { DEFAULT_CONCURRENCY, ProjectionRebuilder, listCheckpoints, measureLag } from '@cadre/subscriptions';
import { reconcileStandings, sweepOrphanedReservations } from '@cadre/processes';
import type { CliContext } from './cli-context.js';
import { replayReadModel, REPLAYABLE } from './replay.js';

type Values = Record<string, string | boolean | undefined>;
type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface CliCommand {
  readonly summary: string;
  readonly options: OptionSpec;
  run(context: CliContext, values: Values, positionals: string[]): Promise<number>;
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const bar = (label: string, total: number): cliProgress.SingleBar => {
  const progress = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {unit} | {duration_formatted}`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  progress.start(Math.max(total, 1), 0, { unit: 'events' });
  return progress;
};

export const commands: Record<string, CliCommand> = {
  'projections:status': {
    summary: 'Each projection: version, position, events applied, backlog',
    options: {},
    run: async ({ store, pool, projections }) => {
      const checkpoints = new Map((await listCheckpoints(pool).catch(() => [])).map((c) => [c.name, c]));
      const lags = new Map((await measureLag(store, pool, projections)).map((lag) => [lag.name, lag]));
      const rows = [];
      for (const projection of projections) {
        const checkpoint = checkpoints.get(projection.name);
        const lag = lags.get(projection.name);
        rows.push({
          projection: projection.name,
          version: `${checkpoint?.version ?? '-'} (code ${projection.version})`,
          position: checkpoint?.position ?? '(start)',
          applied: checkpoint?.events ?? 0,
          backlog: lag?.known ? (lag.lagEvents ?? '?') : '-',
          'lag (s)': lag?.known && lag.lagSeconds !== null ? Math.round(lag.lagSeconds) : '-',
          updated: checkpoint?.updatedAt ?? '-',
        });
      }
      console.table(rows);
      return 0;
    },
  },
  'projections:rebuild': {
    summary:
      '<name|all> [--force] [--concurrency N]: rebuild into fresh tables, compare with the live ones, swap (N at a time, default 3)',
    options: { force: { type: 'boolean' }, concurrency: { type: 'string' } },
    run: async ({ store, pool, projections }, values, [name]) => {
      const chosen = name === 'all' ? projections : projections.filter((p) => p.name === name);
      if (!name || chosen.length === 0) {
        out(`Name a projection (${projections.map((p) => p.name).join(', ')}) or "all".`);
        return 2;
      }
      const checkpoints = new Map((await listCheckpoints(pool).catch(() => [])).map((c) => [c.name, c]));
      const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        out('--concurrency takes a whole number of at least 1.');
        return 2;
      }
      // One bar per projection, several moving at once (`--concurrency`, default 3).
      const bars = new cliProgress.MultiBar(
        {
          format: '{name} [{bar}] {value}/{total} events | {duration_formatted}',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2000,
        },
        cliProgress.Presets.shades_classic,
      );
      const progress = new Map<string, cliProgress.SingleBar>();
      const barOf = (projectionName: string): cliProgress.SingleBar => {
        let one = progress.get(projectionName);
        if (!one) {
          const total = Math.max(checkpoints.get(projectionName)?.events ?? 0, 1);
          one = bars.create(total, 0, { name: projectionName.padEnd(20) });
          progress.set(projectionName, one);
        }
        return one;
      };
      const reports = await new ProjectionRebuilder(store, pool)
        .rebuildAll(chosen, {
          force: values.force === true,
          concurrency,
          onProgress: (projection, applied) => {
            const one = barOf(projection.name);
            if (applied > one.getTotal()) one.setTotal(applied);
            one.update(applied);
          },
        })
        .finally(() => bars.stop());
      let refused = 0;
      for (const report of reports) {
        for (const difference of report.differences) {
          out(
            `  ${report.projection}.${difference.table}: ${difference.onlyLive} rows only in the live table, ${difference.onlyRebuilt} only in the rebuilt one`,
          );
          for (const sample of difference.sample) out(`    ${sample.side}: ${JSON.stringify(sample.row)}`);
        }
        if (report.swapped) {
          out(
            `${report.projection}: rebuilt from ${report.events} events in ${report.seconds.toFixed(1)} s, compared at ${report.comparedAt ?? 'start'}, swapped in`,
          );
        } else {
          refused += 1;
          out(
            `${report.projection}: NOT swapped — the rebuilt tables differ from the live ones (use --force to swap anyway)`,
          );
        }
      }
      return refused > 0 ? 1 : 0;
    },
  },
  'integrity:verify': {
    summary:
      '[--stream <name>]: verify every stream (or one) against its hash chain and the latest signed checkpoint',
    options: { stream: { type: 'string' } },
    run: async ({ checkpoints }, values) => {
      let progress: cliProgress.SingleBar | null = null;
      const report = await checkpoints.verify({
        stream: typeof values.stream === 'string' ? values.stream : undefined,
        onProgress: (done, total) => {
          progress ??= bar('streams'.padEnd(20), total);
          progress.update(done, { unit: 'streams' });
        },
      });
      (progress as cliProgress.SingleBar | null)?.stop();
      out(
        report.checkpoint
          ? `Latest signed checkpoint: #${report.checkpoint.id} of ${report.checkpoint.createdAt}`
          : 'No signed checkpoint yet: only the hash chains were verified (npm run cadre -- integrity:checkpoint).',
      );
      out(`${report.streamsChecked} streams, ${report.eventsChecked} events checked.`);
      for (const finding of report.findings)
        out(`  ${finding.kind}  ${finding.stream ?? ''}  ${finding.detail}`);
      out(report.ok ? 'OK: nothing was altered.' : `FAILED: ${report.findings.length} finding(s).`);
      return report.ok ? 0 : 1;
    },
  },
  'integrity:checkpoint': {
    summary: 'sign a checkpoint of every stream head now',
    options: {},
    run: async ({ checkpoints }) => {
      const written = await checkpoints.write();
      out(
        `Signed checkpoint #${written.id}: ${written.body.streams.length} streams up to ${written.body.headPosition ?? 'start'}.`,
      );
      return 0;
    },
  },
  'standings:reconcile': {
    summary:
      '[--dry-run]: once, at the deploy of decision 0010: judge every current team member with the qualification rule and record the requalifications and lapses the old lapse process got wrong',
    options: { 'dry-run': { type: 'boolean' } },
    run: async ({ store, pool }, values) => {
      const dryRun = values['dry-run'] === true;
      const report = await reconcileStandings(store, pool, { now: () => systemClock.now(), dryRun });
      for (const change of report.changes) {
        out(
          `${dryRun ? 'would record' : 'recorded'} ${change.type} ${change.cause ?? ''} team ${change.teamId} member ${change.staffId}`,
        );
      }
      out(
        `${report.teams} teams, ${report.members} members judged: ${report.requalified} requalified, ${report.lapsed} lapsed, ${report.readinessLost} teams no longer ready${dryRun ? ' (dry run: nothing written)' : ''}.`,
      );
      return 0;
    },
  },
  'reservations:orphans': {
    summary:
      '[--release]: the employeeRef reservations whose staff stream was never created, older than CADRE_RESERVATION_GRACE_SECONDS (jurisdiction, reserved at, age); --release releases them',
    options: { release: { type: 'boolean' } },
    run: async ({ store, pool, config }, values) => {
      const release = values.release === true;
      const graceSeconds = config.CADRE_RESERVATION_GRACE_SECONDS;
      // The worker's own sweep, decided by the domain on each stream as it is now; a report only
      // decides (nothing is appended). The reference is never printed: it is personal data.
      const swept = await sweepOrphanedReservations({ store, now: () => systemClock.now() }, pool, {
        graceSeconds,
        release,
      });
      const what = { released: 'released', orphan: 'orphan', registered: 'registered', gone: 'changed' };
      for (const one of swept) {
        out(
          `${one.jurisdiction}  reserved ${one.reservedAt}  age ${age(one.ageSeconds)}  staff ${one.staffId}  ${what[one.outcome]}${one.outcome === 'registered' ? ' (its staff stream exists: kept)' : ''}`,
        );
      }
      const orphans = swept.filter((one) => one.outcome === 'orphan' || one.outcome === 'released').length;
      out(
        release
          ? `${orphans} orphaned reservation(s) released (reason: staff stream never created).`
          : `${orphans} orphaned reservation(s) older than ${graceSeconds} s${orphans > 0 ? ': run again with --release to release them' : ''}.`,
      );
      return 0;
    },
  },
  replay: {
    summary: `<read-model> --as-of <date> [--known-at <date>] [--jurisdiction XX] [--limit N]: the read model's answer then, as a table (${REPLAYABLE.join(', ')})`,
    options: {
      'as-of': { type: 'string' },
      'known-at': { type: 'string' },
      jurisdiction: { type: 'string' },
      limit: { type: 'string' },
    },
    run: async (context, values, [readModel]) => replayReadModel(context, readModel, values),
  },
};

/** `1d 2h`, `3h 4m`, `5m 6s`, `7s`. */
function age(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, seconds);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (unit === 's' && parts.length === 0)) parts.push(`${count}${unit}`);
  }
  return parts.slice(0, 2).join(' ');
}

export function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(22)} ${command.summary}`);
  return `Usage: npm run cadre -- <command> [options]\n\n${lines.join('\n')}\n`;
}
