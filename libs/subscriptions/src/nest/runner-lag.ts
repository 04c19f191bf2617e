import { Gauge } from 'prom-client';
import type { EventStore } from '@cadre/event-store';
import type { MetricsRegistry } from '@cadre/platform';
import { ALL_EVENTS } from '../projection.js';
import type { ProjectionRunner, RunnerStatus } from '../projection-runner.js';

/** Counting a backlog stops here: "at least this many" is all an operator needs to know. */
const LAG_COUNT_CAP = 10_000;
const MEASURE_EVERY_MS = 5000;

export interface RunnerLag extends RunnerStatus {
  /** Events not yet applied (capped at 10,000). */
  readonly lagEvents: number;
  /** Record-time age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number;
}

export interface RunnerLagOptions {
  /** The gauges' names: `<metric>_lag_seconds` and `<metric>_lag_events`. */
  readonly metric: string;
  /** Their label naming the runner, and what it is called in the help text. */
  readonly label: string;
}

/**
 * How far behind the head of the log each runner of a worker is (read models or process managers),
 * in events and in seconds: measured every 5 s, kept for `/health/ready` and exported as two
 * gauges. A backlog is reported, never an error: a long catch-up must not take the process offline.
 */
export class RunnerLagMonitor {
  private readonly seconds: Gauge;
  private readonly events: Gauge;
  private timer: NodeJS.Timeout | null = null;
  private last: RunnerLag[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly runners: readonly ProjectionRunner[],
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
      help: `Events a ${options.label} has not applied yet (counted up to 10,000).`,
      labelNames: [options.label],
      registers: [metrics.registry],
    });
  }

  start(): void {
    void this.measure().catch(() => undefined);
    this.timer = setInterval(() => void this.measure().catch(() => undefined), MEASURE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last measured lag of each runner. */
  lag(): readonly RunnerLag[] {
    return this.last;
  }

  async measure(): Promise<readonly RunnerLag[]> {
    const head = await this.store.headPosition();
    this.last = await Promise.all(
      this.runners.map(async (runner) => {
        const status = runner.status();
        const behind =
          head !== null &&
          (status.position === null || this.store.comparePositions(status.position, head) < 0);
        let lagEvents = 0;
        let lagSeconds = 0;
        if (behind) {
          const pending = await this.store.readAll({
            after: status.position ?? undefined,
            limit: LAG_COUNT_CAP,
            filter: runner.projection.handles.includes(ALL_EVENTS)
              ? undefined
              : { eventTypePrefixes: runner.projection.handles },
          });
          lagEvents = pending.length;
          const oldest = pending[0]?.recordedAt;
          lagSeconds = oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0;
        }
        this.events.set({ [this.options.label]: status.name }, lagEvents);
        this.seconds.set({ [this.options.label]: status.name }, lagSeconds);
        return { ...status, lagEvents, lagSeconds };
      }),
    );
    return this.last;
  }
}
