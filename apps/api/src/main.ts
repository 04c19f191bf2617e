import 'reflect-metadata';
import { ConfigurationError, createLogger, loadConfig } from '@cadre/platform';
import { createApiApp } from './create-api-app.js';

/** `npm start`: the api (and, by default, the worker) on DATABASE_URL or the embedded store. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  if (config.usesDevelopmentJwtSecret) {
    logger.warn(
      'CADRE_JWT_SECRET is not set: using the development secret (refused when NODE_ENV=production)',
    );
  }
  const app = await createApiApp({ config, logger });
  await app.listen({ port: config.PORT, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    {
      url,
      database: config.DATABASE_URL
        ? 'DATABASE_URL'
        : `embedded PostgreSQL in ${config.CADRE_DATA_DIR}/postgres`,
      eventStore: config.EVENT_STORE,
      worker: config.CADRE_IN_PROCESS_WORKER ? 'in process' : 'separate',
      startupMs: Math.round(performance.now() - started),
      sinceProcessStartMs: Math.round(process.uptime() * 1000),
    },
    `Cadre is listening on ${url} — API docs ${url}/docs — ` +
      `data ${config.DATABASE_URL ? 'in DATABASE_URL' : `in ${config.CADRE_DATA_DIR} (embedded PostgreSQL)`} — ` +
      `a development token: npm run token -- --role admin --jurisdiction '*'`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
