import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule } from '@cadre/event-store/nest';
import {
  ConfigurationError,
  PinoLoggerService,
  PlatformModule,
  createLogger,
  loadConfig,
  type PlatformOptions,
} from '@cadre/platform';
import { readModelsModule } from './read-models.module.js';
import { WorkerModule } from './worker.module.js';

@Module({})
class WorkerAppModule {
  static register(options: PlatformOptions): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        PlatformModule.forRoot(options),
        EventStoreModule.forRoot(),
        readModelsModule({ run: options.config.CADRE_WORKER_ROLES.includes('projections') }),
        WorkerModule.register(options.config.CADRE_WORKER_ROLES),
      ],
    };
  }
}

/** The worker on its own (docker compose, scaling out). `npm start` runs it inside the api instead. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.DATABASE_URL) {
    throw new ConfigurationError([
      'DATABASE_URL is required by the standalone worker: it shares the database of the api ' +
        '(with no DATABASE_URL, `npm start` runs the worker inside the api process on the embedded store)',
    ]);
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  const app = await NestFactory.createApplicationContext(WorkerAppModule.register({ config, logger }), {
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.init();
  logger.info({ eventStore: config.EVENT_STORE, roles: config.CADRE_WORKER_ROLES }, 'Cadre worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
