/**
 * Preloaded into a process the benchmark starts (`node --import …/event-loop-probe.js`): records
 * its event-loop delay (`monitorEventLoopDelay`, 10 ms resolution) and, on each SIGUSR2, writes
 * what it saw since the previous SIGUSR2 to BENCH_EVENT_LOOP_FILE (JSON: p50, p99, max in ms) and
 * starts afresh. The first signal opens a window, the second closes it: the bench reads the file.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_EVENT_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  process.on('SIGUSR2', () => {
    writeFileSync(
      file,
      JSON.stringify({
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        samples: histogram.count,
      }),
    );
    histogram.reset();
  });
}
