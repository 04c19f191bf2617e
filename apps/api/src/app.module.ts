import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { EventStoreModule, type DatabaseOptions } from '@cadre/event-store/nest';
import { HttpPlatformModule, PlatformModule, type PlatformOptions } from '@cadre/platform';
import { WorkerModule } from '../../worker/src/worker.module.js';
import { ApiModule } from './api.module.js';
import { readModelsModule } from '../../worker/src/read-models.module.js';

export type ApiOptions = PlatformOptions &
  DatabaseOptions & {
    /** More modules to mount (tests mount routes of their own). */
    readonly extraModules?: ModuleMetadata['imports'];
  };

/**
 * The api process: platform (config, logs, auth, errors, health, metrics), the event store, and
 * — unless CADRE_IN_PROCESS_WORKER=false — the worker in the same process (`npm start`).
 */
@Module({})
export class AppModule {
  static register(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(options),
        EventStoreModule.forRoot({ ...options, evolution: EVENT_EVOLUTION }),
        HttpPlatformModule,
        readModelsModule({
          run:
            options.config.CADRE_IN_PROCESS_WORKER &&
            options.config.CADRE_WORKER_ROLES.includes('projections'),
        }),
        ApiModule,
        ...(options.config.CADRE_IN_PROCESS_WORKER
          ? [WorkerModule.register(options.config.CADRE_WORKER_ROLES)]
          : []),
        ...(options.extraModules ?? []),
      ],
    };
  }
}
