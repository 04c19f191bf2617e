import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule, type ApiOptions } from '../apps/api/src/app.module.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';

export type ServerOptions = ApiOptions;

/**
 * The composition root of `npm start`: the api and — unless CADRE_IN_PROCESS_WORKER=false — the
 * worker (read models' projections, process managers, webhook delivery) in one process. The api
 * and the worker never import each other; only this does.
 */
@Module({})
export class ServerModule {
  static register(options: ServerOptions): DynamicModule {
    const inProcess = options.config.CADRE_IN_PROCESS_WORKER;
    const roles = options.config.CADRE_WORKER_ROLES;
    return {
      module: ServerModule,
      imports: [
        AppModule.register({
          ...options,
          runReadModels: inProcess && roles.includes('projections'),
          extraModules: [
            ...(inProcess ? [WorkerModule.register(roles)] : []),
            ...(options.extraModules ?? []),
          ],
        }),
      ],
    };
  }
}
