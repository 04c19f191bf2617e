import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { EVENT_STORE, resilientPool, type EventStore } from '@cadre/event-store';
import { DATABASE, MetricsRegistry, PINO_LOGGER, type Database } from '@cadre/platform';
import { ALL_EVENTS, type Projection } from '../projection.js';
import { SharedConnectionLeases } from '../leases.js';
import { ProjectionRunner, type RunnerStatus } from '../projection-runner.js';
import { PROJECTIONS, READ_MODEL_POOL } from './projections.tokens.js';

/** Counting a backlog stops here: "at least this many" is all an operator needs to know. */
const LAG_COUNT_CAP = 10_000;

export interface ProjectionLag extends RunnerStatus {
  /** Events not yet applied (capped at 10,000). */
  readonly lagEvents: number;
  /** Record-time age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number;
}

/**
 * Runs every projection of the deployment in this process (each under its lease, so several
 * workers can run for availability), and reports their lag as metrics and for `/health/ready`.
 */
@Injectable()
export class ProjectionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ProjectionRunner[];
  /** One connection holds every lease of this process (not one per projection). */
  private readonly leases: SharedConnectionLeases;
  private readonly runnerPool: pg.Pool;
  private readonly lagSeconds: Gauge<'projection'>;
  private readonly lagEvents: Gauge<'projection'>;
  private timer: NodeJS.Timeout | null = null;
  private lastLag: ProjectionLag[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_POOL) pool: pg.Pool,
    @Inject(DATABASE) database: Database,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    metrics: MetricsRegistry,
  ) {
    this.leases = new SharedConnectionLeases(database.url, 'cadre-worker-leases');
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
          leases: this.leases,
          log: (level, message, fields) => logger[level]({ projection: projection.name, ...fields }, message),
        }),
    );
    this.lagSeconds = new Gauge({
      name: 'cadre_projection_lag_seconds',
      help: 'Record-time age of the oldest event a projection has not applied yet (0 when caught up).',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
    });
    this.lagEvents = new Gauge({
      name: 'cadre_projection_lag_events',
      help: 'Events a projection has not applied yet (counted up to 10,000).',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
    void this.measure().catch(() => undefined);
    this.timer = setInterval(() => void this.measure().catch(() => undefined), 5000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.leases.close();
    await this.runnerPool.end().catch(() => undefined);
  }

  /** The last measured lag of each projection (measured every 5 s). */
  lag(): readonly ProjectionLag[] {
    return this.lastLag;
  }

  async measure(): Promise<readonly ProjectionLag[]> {
    const head = await this.store.headPosition();
    this.lastLag = await Promise.all(
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
        this.lagEvents.set({ projection: status.name }, lagEvents);
        this.lagSeconds.set({ projection: status.name }, lagSeconds);
        return { ...status, lagEvents, lagSeconds };
      }),
    );
    return this.lastLag;
  }
}
