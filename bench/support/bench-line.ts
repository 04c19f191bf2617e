import { round } from './stats.js';

/** A scenario's target, as the issue states it (see docs BENCHMARKS.md). */
export type BenchTarget = { readonly min: number } | { readonly max: number } | { readonly ratio: number };

/** One `BENCH {json}` line: the format every Cadre benchmark prints, one per scenario. */
export interface BenchLine {
  readonly bench: string;
  readonly scenario: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly target: BenchTarget | null;
  readonly pass: boolean | null;
  readonly [extra: string]: unknown;
}

export interface BenchInput {
  readonly bench: string;
  readonly scenario: string;
  /** The median over the measured rounds. */
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number | null;
  readonly target?: BenchTarget | null;
  /** Extra fields (p50, p99, concurrency…), printed after the standard ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the line: `ratio` is value / baseline (for latencies lower is better, so a ratio target
 * there means "at most"); `pass` is null when there is no target.
 */
export function benchLine(input: BenchInput): BenchLine {
  const baseline = input.baseline ?? null;
  const ratio = baseline ? input.value / baseline : null;
  const target = input.target ?? null;
  let pass: boolean | null = null;
  if (target && 'min' in target) pass = input.value >= target.min;
  else if (target && 'max' in target) pass = input.value <= target.max;
  else if (target && 'ratio' in target) {
    const latency = input.unit === 'ms';
    pass = ratio === null ? null : latency ? ratio <= target.ratio : ratio >= target.ratio;
  }
  return {
    bench: input.bench,
    scenario: input.scenario,
    value: round(input.value),
    unit: input.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : Math.round(ratio * 100) / 100,
    target,
    pass,
    ...input.extra,
  };
}

/** Prints the machine-readable line on standard output. */
export function printBench(line: BenchLine): void {
  process.stdout.write(`BENCH ${JSON.stringify(line)}\n`);
}

const targetText = (target: BenchTarget | null): string => {
  if (!target) return '—';
  if ('min' in target) return `≥ ${target.min}`;
  if ('max' in target) return `≤ ${target.max}`;
  return `ratio ${target.ratio}`;
};

/** A human table of the lines, on standard output (not prefixed, so parsers skip it). */
export function printTable(lines: readonly BenchLine[]): void {
  const rows = [
    ['scenario', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass', 'p99'],
    ...lines.map((l) => [
      l.scenario,
      String(l.value),
      l.unit,
      l.baseline === null ? '—' : String(l.baseline),
      l.ratio === null ? '—' : l.ratio.toFixed(2),
      targetText(l.target),
      l.pass === null ? '—' : l.pass ? 'yes' : 'NO',
      typeof l.p99 === 'number' ? String(l.p99) : '',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const text = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  process.stdout.write(`\n${text.join('\n')}\n\n`);
}

/** Progress and notes go to standard error, so standard output stays lines and the table. */
export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
