import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { EventStoreModule } from '@cadre/event-store/nest';
import {
  AppConfig,
  DATABASE,
  PinoLoggerService,
  PlatformModule,
  createLogger,
  loadConfig,
  processPool,
  type Database,
  type PlatformOptions,
} from '@cadre/platform';
import { READ_MODEL_POOL, leasesProvider } from '@cadre/subscriptions/nest';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';

/** Delivery alone: the store, a small pool for subscriptions and the vault, no read models. */
@Module({})
class WebhookDeliveryThreadModule {
  static register(options: PlatformOptions): DynamicModule {
    return {
      module: WebhookDeliveryThreadModule,
      imports: [PlatformModule.forRoot(options), EventStoreModule.forRoot({ evolution: EVENT_EVOLUTION })],
      providers: [
        {
          provide: READ_MODEL_POOL,
          useFactory: (database: Database, config: AppConfig) =>
            processPool(database, config, { max: 4, applicationName: 'cadre-webhooks' }),
          inject: [DATABASE, AppConfig],
        },
        leasesProvider,
        WebhookDeliveryWorker,
      ],
    };
  }
}

/**
 * Webhook delivery in a thread of the standalone worker ({@link WebhookDeliveryThread}), on
 * connections of its own. It answers `started`, and `stopped` once a `stop` has closed it.
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('webhook-delivery.thread runs in a worker thread');
  const config = loadConfig({ ...process.env, CADRE_WORKER_ROLES: 'webhooks' });
  const logger = createLogger({ level: config.LOG_LEVEL }).child({ thread: 'webhooks' });
  const app = await NestFactory.createApplicationContext(
    WebhookDeliveryThreadModule.register({ config, logger }),
    { logger: new PinoLoggerService(logger), abortOnError: false },
  );
  await app.init();
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void app.close().finally(() => {
      port.postMessage('stopped');
      port.close();
    });
  });
  port.postMessage('started');
}

// A failure to start ends the thread with an error: the worker logs it and starts it again.
await run();
