import { resolve } from 'node:path';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig, DATABASE, PINO_LOGGER, type Database } from '@cadre/platform';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../postgres/embedded-postgres.js';

/**
 * Owns the process's PostgreSQL: DATABASE_URL when set, otherwise an embedded cluster in
 * `<CADRE_DATA_DIR>/postgres` that it starts before the app listens and stops on shutdown, after
 * every pool registered with `onShutdown` has closed.
 */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly closers: (() => Promise<void>)[] = [];
  private cluster: EmbeddedCluster | null = null;

  constructor(
    private readonly config: AppConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async open(): Promise<Database> {
    const onShutdown = (close: () => Promise<void>): void => {
      this.closers.push(close);
    };
    if (this.config.DATABASE_URL) return { url: this.config.DATABASE_URL, embedded: false, onShutdown };
    const dataDir = resolve(this.config.CADRE_DATA_DIR, 'postgres');
    const started = Date.now();
    const log = this.logger.child({ component: 'embedded-postgres' });
    this.cluster = await startEmbeddedPostgres({ dataDir, log: (line) => log.debug(line) });
    this.logger.info(
      { dataDir, port: this.cluster.port, ms: Date.now() - started },
      'embedded PostgreSQL started',
    );
    return { url: this.cluster.url, embedded: true, dataDir, onShutdown };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'closing a database client failed'),
      );
    }
    if (this.cluster) {
      const cluster = this.cluster;
      this.cluster = null;
      await cluster.stop();
      this.logger.info('embedded PostgreSQL stopped');
    }
  }
}

@Global()
@Module({
  providers: [
    DatabaseLifecycle,
    {
      provide: DATABASE,
      useFactory: (lifecycle: DatabaseLifecycle) => lifecycle.open(),
      inject: [DatabaseLifecycle],
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule {}
