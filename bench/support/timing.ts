import { performance } from 'node:perf_hooks';

/**
 * Runs `concurrency` workers for `durationMs`; each calls `op(worker)` in a loop and returns how
 * many items (events, requests…) the call processed. Returns items per second over the time until
 * the last worker finished its last call.
 */
export async function throughput(
  concurrency: number,
  durationMs: number,
  op: (worker: number) => Promise<number>,
): Promise<number> {
  const start = performance.now();
  const end = start + durationMs;
  let items = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        // Not `items += await op()`: that reads `items` before the await and loses other workers' counts.
        const done = await op(worker);
        items += done;
      }
    }),
  );
  return items / ((performance.now() - start) / 1000);
}

/** Calls `op` `count` times one after the other; returns each call's duration in milliseconds. */
export async function latencies(count: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await op(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Times one call: its result and its duration in milliseconds. */
export async function timed<T>(op: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await op();
  return { result, ms: performance.now() - start };
}

export interface Contest<T> {
  readonly subject: T[];
  readonly baseline: T[];
}

/**
 * Warm-up then `rounds` measured rounds of a subject and its baseline, interleaved and in
 * alternating order (A B, B A, A B…) so that drift on a shared machine hits both alike. The
 * warm-up runs are given `true` so they can be shorter; their results are discarded.
 */
export async function contest<T>(options: {
  readonly rounds?: number;
  readonly subject: (warmUp: boolean) => Promise<T>;
  readonly baseline: ((warmUp: boolean) => Promise<T>) | null;
}): Promise<Contest<T>> {
  const rounds = Math.max(3, options.rounds ?? 3);
  const { subject, baseline } = options;
  await subject(true);
  if (baseline) await baseline(true);
  const result: Contest<T> = { subject: [], baseline: [] };
  for (let round = 0; round < rounds; round += 1) {
    if (baseline && round % 2 === 1) result.baseline.push(await baseline(false));
    result.subject.push(await subject(false));
    if (baseline && round % 2 === 0) result.baseline.push(await baseline(false));
  }
  return result;
}
