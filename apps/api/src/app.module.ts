import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { EventStoreModule, type DatabaseOptions } from '@cadre/event-store/nest';
import { HttpPlatformModule, PlatformModule, type PlatformOptions } from '@cadre/platform';
import { ApiModule } from './api.module.js';
import { readModelsModule } from '@cadre/read-models/nest';

export type ApiOptions = PlatformOptions &
  DatabaseOptions & {
    /** More modules to mount (the server mounts the worker; tests mount routes of their own). */
    readonly extraModules?: ModuleMetadata['imports'];
    /** Apply the read models' projections in this process (the server with its worker in it). */
    readonly runReadModels?: boolean;
  };

/**
 * The api: platform (config, logs, auth, errors, health, metrics), the event store, the read
 * models' tables and the HTTP routes. The server (`server/`) composes it with the worker.
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
        readModelsModule({ run: options.runReadModels ?? false }),
        ApiModule,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
