import { Module, type DynamicModule } from '@nestjs/common';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { EventStoreModule } from '@cadre/event-store/nest';
import { PlatformModule, type PlatformOptions } from '@cadre/platform';
import { readModelsModule } from '@cadre/read-models/nest';
import { WorkerModule } from './worker.module.js';

export interface WorkerAppOptions extends PlatformOptions {
  /** Deliver webhooks in a thread of their own (the standalone worker with other roles too). */
  readonly webhooksInThread?: boolean;
}

/** The standalone worker's application: the roles of CADRE_WORKER_ROLES, without HTTP. */
@Module({})
export class WorkerAppModule {
  static register(options: WorkerAppOptions): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        PlatformModule.forRoot(options),
        EventStoreModule.forRoot({ evolution: EVENT_EVOLUTION }),
        readModelsModule({ run: options.config.CADRE_WORKER_ROLES.includes('projections') }),
        WorkerModule.register(options.config.CADRE_WORKER_ROLES, {
          webhooksInThread: options.webhooksInThread ?? false,
        }),
      ],
    };
  }
}
