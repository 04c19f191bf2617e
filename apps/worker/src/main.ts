import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  ConfigurationError,
  PinoLoggerService,
  createLogger,
  loadConfig,
  saidToTheOperator,
} from '@cadre/platform';
import { WorkerAppModule } from './worker-app.module.js';

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
  const roles = config.CADRE_WORKER_ROLES;
  // Beside projections or processes, webhooks get a thread (an event loop) of their own: a
  // receiver is waited for one event after the other, and each wait would queue behind the
  // read models' batches.
  const webhooksInThread = roles.includes('webhooks') && roles.length > 1;
  const app = await NestFactory.createApplicationContext(
    WorkerAppModule.register({ config, logger, webhooksInThread }),
    { logger: new PinoLoggerService(logger), abortOnError: false },
  );
  app.enableShutdownHooks();
  await app.init();
  logger.info({ eventStore: config.EVENT_STORE, roles, webhooksInThread }, 'Cadre worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && saidToTheOperator(error) ? error.message : error);
  process.exit(1);
});
