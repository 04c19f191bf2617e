import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { resilientPool } from '@cadre/event-store';
import { DataSource, type MigrationInterface } from 'typeorm';
import { DATABASE, type Database } from '@cadre/platform';
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
        useFactory: (database: Database) => {
          const pool = resilientPool({
            connectionString: database.url,
            max: 10,
            application_name: 'cadre-read-models',
            options: READ_MODEL_SESSION_OPTIONS,
          });
          pool.on('error', () => undefined);
          database.onShutdown(() => pool.end());
          return pool;
        },
        inject: [DATABASE],
      },
      {
        provide: READ_MODELS,
        useFactory: async (database: Database) => {
          const dataSource = new DataSource({
            type: 'postgres',
            url: database.url,
            entities: [...options.entities],
            migrations: [...options.migrations],
            migrationsTableName: 'cadre_read_model_migrations',
            migrationsRun: true,
            synchronize: false,
            logging: false,
            extra: {
              max: 10,
              application_name: 'cadre-read-model-queries',
              options: READ_MODEL_SESSION_OPTIONS,
            },
          });
          await dataSource.initialize();
          database.onShutdown(() => dataSource.destroy());
          return dataSource;
        },
        inject: [DATABASE],
      },
    ];
    providers.push(signedCheckpointsProvider, leasesProvider);
    if (options.run) {
      providers.push(ProjectionWorker, CheckpointScheduler);
    }
    return {
      module: ProjectionsModule,
      providers,
      exports: [
        PROJECTIONS,
        LEASES,
        READ_MODEL_POOL,
        READ_MODELS,
        SignedCheckpoints,
        ...(options.run ? [ProjectionWorker] : []),
      ],
    };
  }
}
