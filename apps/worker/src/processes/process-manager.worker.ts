import {
  Inject,
  Injectable,
  Optional,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import {
  AppConfig,
  DATABASE,
  MetricsRegistry,
  PINO_LOGGER,
  ReadinessDetails,
  type Database,
} from '@cadre/platform';
import { CLOCK, systemClock, type Clock } from '@cadre/kernel';
import {
  CertificationScheduleTicker,
  OrphanedReservationSweeper,
  processManagers,
  type OrphanedReservation,
  type ProcessDependencies,
  type TickResult,
} from '@cadre/processes';
import { ProjectionRunner, type LeaseProvider } from '@cadre/subscriptions';
import { LEASES, READ_MODEL_POOL, RunnerLagMonitor, type RunnerLag } from '@cadre/subscriptions/nest';

/**
 * The process managers (awards on close, the certification schedule, lapses, employeeRef orphans):
 * each a projection of the log run by the projection runner (lease, batches, checkpoint), plus the
 * tick that sends due notices and releases orphaned employeeRef reservations. Several workers may run: leases (the process's one lease connection) keep one active at a time. Their
 * lag behind the log is reported like the projections' (`cadre_process_lag_seconds`,
 * `cadre_process_lag_events`, and `processes` in `/health/ready`), never making the process unready.
 */
@Injectable()
export class ProcessManagerWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runners: ProjectionRunner[];
  readonly ticker: CertificationScheduleTicker;
  readonly sweeper: OrphanedReservationSweeper;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<TickResult> | null = null;
  private sweeping: Promise<readonly OrphanedReservation[]> | null = null;
  private readonly lagMonitor: RunnerLagMonitor;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_POOL) pool: pg.Pool,
    @Inject(DATABASE) database: Database,
    @Inject(LEASES) leases: LeaseProvider,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(CLOCK) clock: Clock | null,
    private readonly config: AppConfig,
    metrics: MetricsRegistry,
    readiness: ReadinessDetails,
  ) {
    const now = (): Date => (clock ?? systemClock).now();
    const deps: ProcessDependencies = {
      store,
      now,
      log: (level, message, fields) => logger[level]({ process: true, ...fields }, message),
    };
    this.runners = processManagers(deps).map(
      (projection) =>
        new ProjectionRunner(store, pool, database.url, projection, {
          leases,
          log: (level, message, fields) => logger[level]({ projection: projection.name, ...fields }, message),
        }),
    );
    this.ticker = new CertificationScheduleTicker(pool, leases, deps);
    this.sweeper = new OrphanedReservationSweeper(pool, leases, deps, config.CADRE_RESERVATION_GRACE_SECONDS);
    this.lagMonitor = new RunnerLagMonitor(store, pool, this.runners, metrics, {
      metric: 'cadre_process',
      label: 'process',
    });
    readiness.add(
      'processes',
      () => ({ lag: this.lag() }),
      () => this.lagMonitor.failing(),
    );
  }

  /** The last measured lag of each process manager (measured every 5 s). */
  lag(): readonly RunnerLag[] {
    return this.lagMonitor.lag();
  }

  measure(): Promise<readonly RunnerLag[]> {
    return this.lagMonitor.measure();
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
    this.lagMonitor.start();
    const seconds = this.config.processTickSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      void this.tick().catch(() => undefined);
      void this.sweep().catch(() => undefined);
    }, seconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const began = Date.now();
    if (this.timer) clearInterval(this.timer);
    this.lagMonitor.stop();
    await this.ticking?.catch(() => undefined);
    await this.sweeping?.catch(() => undefined);
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.logger.info({ processes: this.runners.length, ms: Date.now() - began }, 'process managers stopped');
  }

  /** Sends every notice due by the clock now (also on demand, for tests and operators). */
  async tick(): Promise<TickResult> {
    while (this.ticking) await this.ticking.catch(() => undefined);
    const run = this.ticker.tick().catch((error: unknown) => {
      this.logger.error({ err: error }, 'certification schedule tick failed; retrying at the next one');
      throw error;
    });
    this.ticking = run;
    try {
      return await run;
    } finally {
      if (this.ticking === run) this.ticking = null;
    }
  }

  /**
   * Releases the employeeRef reservations whose staff stream is still absent after the grace
   * period (decision 0020), at each tick; also on demand, for tests and operators.
   */
  async sweep(): Promise<readonly OrphanedReservation[]> {
    if (this.sweeping) return this.sweeping;
    const run = this.sweeper.sweep().catch((error: unknown) => {
      this.logger.error({ err: error }, 'employeeRef orphan sweep failed; retrying at the next tick');
      throw error;
    });
    this.sweeping = run;
    try {
      return await run;
    } finally {
      if (this.sweeping === run) this.sweeping = null;
    }
  }
}
