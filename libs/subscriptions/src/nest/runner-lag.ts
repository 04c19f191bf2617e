import { Gauge } from 'prom-client';
import type pg from 'pg';
import type { EventStore } from '@cadre/event-store';
import type { Degradation, MetricsRegistry } from '@cadre/platform';
import { measureLag, type Lag } from '../lag.js';
import type { RunnerStatus, SubscriptionRunner } from '../subscription-runner.js';

const MEASURE_EVERY_MS = 5000;
const UNKNOWN_EVERY_MS = 500;

/** A runner's status and its lag (see {@link measureLag}); the lag is null until its checkpoint is known. */
export interface RunnerLag extends RunnerStatus {
  readonly lagEvents: number | null;
  readonly lagSeconds: number | null;
}

export interface RunnerLagOptions {
  /** The gauges' names: `<metric>_lag_seconds` and `<metric>_lag_events`. */
  readonly metric: string;
  /** Their label naming the runner, and what it is called in the help text. */
  readonly label: string;
}

/**
 * How far behind the head of the log each runner of a worker is (read models or process managers),
 * in events and in seconds: measured every 5 s from the checkpoints (never by reading the
 * backlog), kept for `/health/ready` and exported as two gauges. Nothing is reported for a runner
 * whose checkpoint is not known yet, so a restart does not read as the whole log behind. A backlog
 * is reported, never an error: a long catch-up must not take the process offline.
 */
export class RunnerLagMonitor {
  private readonly seconds: Gauge;
  private readonly events: Gauge;
  private timer: NodeJS.Timeout | null = null;
  private last: RunnerLag[] = [];
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pick<pg.Pool, 'query'>,
    private readonly runners: readonly (SubscriptionRunner & { readonly projection: { version: number } })[],
    metrics: MetricsRegistry,
    private readonly options: RunnerLagOptions,
  ) {
    this.seconds = new Gauge({
      name: `${options.metric}_lag_seconds`,
      help: `Record-time age of the oldest event a ${options.label} has not applied yet (0 when caught up).`,
      labelNames: [options.label],
      registers: [metrics.registry],
    });
    this.events = new Gauge({
      name: `${options.metric}_lag_events`,
      help: `Events a ${options.label} has not applied yet (estimated from log positions).`,
      labelNames: [options.label],
      registers: [metrics.registry],
    });
    // Read at each scrape: 1 while the runner fails (it retries), as `/health/ready` says "degraded".
    const failing: Gauge = new Gauge({
      name: `${options.metric}_failing`,
      help: `1 while a ${options.label} fails to apply events (it retries; /health/ready says "degraded"), else 0.`,
      labelNames: [options.label],
      registers: [metrics.registry],
      collect: () => {
        for (const runner of runners) {
          failing.set({ [options.label]: runner.name }, runner.status().state === 'failed' ? 1 : 0);
        }
      },
    });
  }

  /** Measures now and every 5 s — every half second while a runner's checkpoint is not known yet. */
  start(): void {
    this.stopped = false;
    const next = (): void => {
      if (this.stopped) return;
      const unknown = this.last.length === 0 || this.last.some((lag) => lag.lagSeconds === null);
      this.timer = setTimeout(measure, unknown ? UNKNOWN_EVERY_MS : MEASURE_EVERY_MS);
      this.timer.unref();
    };
    const measure = (): void =>
      void this.measure()
        .catch(() => undefined)
        .finally(next);
    measure();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The last measured lag of each runner. */
  lag(): readonly RunnerLag[] {
    return this.last;
  }

  /** The runners failing now (they retry), with their error: what makes `/health/ready` "degraded". */
  failing(): readonly Degradation[] {
    return this.runners
      .map((runner) => runner.status())
      .filter((status) => status.state === 'failed')
      .map((status) => ({ name: status.name, position: status.position, error: status.error }));
  }

  async measure(): Promise<readonly RunnerLag[]> {
    const lags = new Map<string, Lag>(
      (
        await measureLag(
          this.store,
          this.pool,
          this.runners.map((runner) => ({
            name: runner.name,
            handles: runner.consumer.handles,
            version: runner.projection.version,
          })),
        )
      ).map((lag) => [lag.name, lag]),
    );
    this.last = this.runners.map((runner) => {
      const status = runner.status();
      const lag = lags.get(runner.name);
      const label = { [this.options.label]: runner.name };
      if (lag?.known && lag.lagEvents !== null) this.events.set(label, lag.lagEvents);
      if (lag?.known && lag.lagSeconds !== null) this.seconds.set(label, lag.lagSeconds);
      return { ...status, lagEvents: lag?.lagEvents ?? null, lagSeconds: lag?.lagSeconds ?? null };
    });
    return this.last;
  }
}
