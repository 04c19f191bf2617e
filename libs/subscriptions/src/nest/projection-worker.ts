import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENT_STORE, resilientPool, type EventStore } from '@cadre/event-store';
import { DATABASE, MetricsRegistry, PINO_LOGGER, ReadinessDetails, type Database } from '@cadre/platform';
import type { Projection } from '../projection.js';
import type { LeaseProvider } from '../leases.js';
import { ProjectionRunner } from '../projection-runner.js';
import { RunnerLagMonitor, type RunnerLag } from './runner-lag.js';
import { LEASES, PROJECTIONS, READ_MODEL_POOL } from './projections.tokens.js';

/** A projection's lag behind the head of the log (see {@link RunnerLagMonitor}). */
export type ProjectionLag = RunnerLag;

/**
 * Runs every projection of the deployment in this process (each under its lease, so several
 * workers can run for availability), and reports their lag as metrics and for `/health/ready`.
 */
@Injectable()
export class ProjectionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runners: ProjectionRunner[];
  private readonly runnerPool: pg.Pool;
  private readonly lagMonitor: RunnerLagMonitor;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_POOL) pool: pg.Pool,
    @Inject(DATABASE) database: Database,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(LEASES) leases: LeaseProvider,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    metrics: MetricsRegistry,
    readiness: ReadinessDetails,
  ) {
    // The runners' transactions get a pool of their own, one connection per runner: sharing a
    // smaller pool with what they call while applying (unsealing through the vault) could leave
    // every connection held by a transaction that waits for one more.
    this.runnerPool = resilientPool({
      connectionString: database.url,
      max: projections.length + 1,
      idleTimeoutMillis: 30_000,
      application_name: 'cadre-projections',
    });
    this.runners = projections.map(
      (projection) =>
        new ProjectionRunner(store, this.runnerPool, database.url, projection, {
          leases,
          log: (level, message, fields) => logger[level]({ projection: projection.name, ...fields }, message),
        }),
    );
    this.lagMonitor = new RunnerLagMonitor(store, pool, this.runners, metrics, {
      metric: 'cadre_projection',
      label: 'projection',
    });
    readiness.add(
      'projections',
      () => ({ lag: this.lag() }),
      () => this.lagMonitor.failing(),
    );
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
    this.lagMonitor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const began = Date.now();
    this.lagMonitor.stop();
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.runnerPool.end().catch(() => undefined);
    this.logger.info({ projections: this.runners.length, ms: Date.now() - began }, 'projections stopped');
  }

  /** The last measured lag of each projection (measured every 5 s). */
  lag(): readonly ProjectionLag[] {
    return this.lagMonitor.lag();
  }

  measure(): Promise<readonly ProjectionLag[]> {
    return this.lagMonitor.measure();
  }
}
