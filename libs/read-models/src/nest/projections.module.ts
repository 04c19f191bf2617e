import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, type MigrationInterface } from 'typeorm';
import {
  AppConfig,
  DATABASE,
  READ_PATH_PROBE,
  boundedSessionOptions,
  processPool,
  type Database,
  type ReadPathProbe,
} from '@cadre/platform';
import type { Projection } from '@cadre/subscriptions';
import { READ_MODEL_SESSION_OPTIONS } from '../read-model-session.js';
import {
  LEASES,
  PROJECTIONS,
  ProjectionWorker,
  READ_MODELS,
  READ_MODEL_POOL,
  leasesProvider,
} from '@cadre/subscriptions/nest';
import { CheckpointScheduler, signedCheckpointsProvider } from './signed-checkpoints.provider.js';
import { SignedCheckpoints } from '../integrity/signed-checkpoints.js';

export interface ProjectionsModuleOptions {
  /** Built at start, with what projections need injected (e.g. unsealing of personal data). */
  readonly projections: (moduleRef: ModuleRef) => Promise<readonly Projection[]> | readonly Projection[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  readonly entities: readonly Function[];
  readonly migrations: readonly (new () => MigrationInterface)[];
  /** Run the projections in this process (the worker; the api under `npm start`). */
  readonly run: boolean;
}

/**
 * The read side's database access: a `pg` pool for projections and bulk reads, and a TypeORM
 * DataSource whose migrations create the read models' tables (never `synchronize`). With `run`,
 * the projections are applied in this process too.
 */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: PROJECTIONS, useFactory: options.projections, inject: [ModuleRef] },
      {
        provide: READ_MODEL_POOL,
        useFactory: (database: Database, config: AppConfig) =>
          processPool(database, config, {
            max: 10,
            applicationName: 'cadre-read-models',
            sessionOptions: READ_MODEL_SESSION_OPTIONS,
          }),
        inject: [DATABASE, AppConfig],
      },
      {
        provide: READ_MODELS,
        useFactory: async (database: Database, config: AppConfig) => {
          const base = {
            type: 'postgres' as const,
            url: database.url,
            entities: [...options.entities],
            migrations: [...options.migrations],
            migrationsTableName: 'cadre_read_model_migrations',
            synchronize: false,
            logging: false,
          };
          // Migrations first, on a connection of their own without the reads' time limit (a
          // migration of a large table may take minutes); then the query pool, with it.
          const migrator = new DataSource({
            ...base,
            migrationsRun: true,
            extra: { max: 1, application_name: 'cadre-read-model-migrations' },
          });
          await migrator.initialize();
          await migrator.destroy();
          const dataSource = new DataSource({
            ...base,
            migrationsRun: false,
            extra: {
              max: 10,
              application_name: 'cadre-read-model-queries',
              options: boundedSessionOptions(config.CADRE_READ_TIMEOUT_MS, READ_MODEL_SESSION_OPTIONS),
              connectionTimeoutMillis: config.CADRE_DB_CONNECT_TIMEOUT_MS,
            },
          });
          await dataSource.initialize();
          database.onShutdown(() => dataSource.destroy());
          return dataSource;
        },
        inject: [DATABASE, AppConfig],
      },
    ];
    providers.push(signedCheckpointsProvider, leasesProvider, {
      // Readiness asks the reads' own pool: a pool that cannot give a connection is not ready.
      provide: READ_PATH_PROBE,
      useFactory:
        (readModels: DataSource): ReadPathProbe =>
        async () => {
          await readModels.query('SELECT 1');
        },
      inject: [READ_MODELS],
    });
    if (options.run) {
      providers.push(ProjectionWorker, CheckpointScheduler);
    }
    return {
      module: ProjectionsModule,
      providers,
      exports: [
        PROJECTIONS,
        LEASES,
        READ_PATH_PROBE,
        READ_MODEL_POOL,
        READ_MODELS,
        SignedCheckpoints,
        ...(options.run ? [ProjectionWorker] : []),
      ],
    };
  }
}
