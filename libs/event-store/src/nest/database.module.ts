import {
  Global,
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig, DATABASE, PINO_LOGGER, type Database } from '@cadre/platform';
import { embeddedDataDir, startEmbeddedDatabase, type EmbeddedCluster } from './embedded-database.js';

/** A cluster the entry point started early (see main.ts); this module then owns it. */
const EARLY_CLUSTER = Symbol.for('cadre.EarlyEmbeddedCluster');

/**
 * Owns the process's PostgreSQL: DATABASE_URL when set, otherwise an embedded cluster in
 * `<CADRE_DATA_DIR>/postgres`, started before the app listens and stopped on shutdown after every
 * client registered with `onShutdown` has closed.
 */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly closers: (() => Promise<void>)[] = [];
  private cluster: EmbeddedCluster | null = null;

  constructor(
    private readonly config: AppConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(EARLY_CLUSTER) private readonly early?: Promise<EmbeddedCluster>,
  ) {}

  async open(): Promise<Database> {
    const onShutdown = (close: () => Promise<void>): void => {
      this.closers.push(close);
    };
    if (this.config.DATABASE_URL) return { url: this.config.DATABASE_URL, embedded: false, onShutdown };
    this.cluster = await (this.early ?? startEmbeddedDatabase(this.config.CADRE_DATA_DIR, this.logger));
    const dataDir = embeddedDataDir(this.config.CADRE_DATA_DIR);
    return { url: this.cluster.url, embedded: true, dataDir, onShutdown };
  }

  /** Last of the shutdown hooks: the database clients, then the embedded cluster. */
  async onApplicationShutdown(): Promise<void> {
    const began = Date.now();
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'closing a database client failed'),
      );
    }
    const cluster = this.cluster;
    this.cluster = null;
    if (cluster) {
      const stopping = Date.now();
      this.logger.info({ ms: stopping - began }, 'database clients closed; stopping the embedded PostgreSQL');
      await cluster.stop();
      this.logger.info({ pid: cluster.pid, ms: Date.now() - stopping }, 'embedded PostgreSQL stopped');
    }
  }
}

export interface DatabaseOptions {
  /** An embedded cluster already starting (main.ts starts it while Node loads the app). */
  readonly embeddedCluster?: Promise<EmbeddedCluster>;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        ...(options.embeddedCluster ? [{ provide: EARLY_CLUSTER, useValue: options.embeddedCluster }] : []),
        DatabaseLifecycle,
        {
          provide: DATABASE,
          useFactory: (lifecycle: DatabaseLifecycle) => lifecycle.open(),
          inject: [DatabaseLifecycle],
        },
      ],
      exports: [DATABASE],
    };
  }
}
