import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../postgres/embedded-postgres.js';

export type { EmbeddedCluster };
export { EmbeddedClusterInUseError, leaveShutdownSignalsToTheApp } from '../postgres/embedded-postgres.js';

/** The embedded cluster's folder inside CADRE_DATA_DIR. */
export const embeddedDataDir = (cadreDataDir: string): string => resolve(cadreDataDir, 'postgres');

/**
 * Starts the embedded PostgreSQL cluster of `npm start` (no DATABASE_URL). Light on purpose (no
 * Nest): main.ts starts it first, so that the cluster boots while Node loads the application.
 */
export async function startEmbeddedDatabase(cadreDataDir: string, logger: Logger): Promise<EmbeddedCluster> {
  const dataDir = embeddedDataDir(cadreDataDir);
  const started = Date.now();
  const log = logger.child({ component: 'embedded-postgres' });
  const cluster = await startEmbeddedPostgres({ dataDir, log: (line) => log.debug(line) });
  logger.info({ dataDir, port: cluster.port, ms: Date.now() - started }, 'embedded PostgreSQL started');
  return cluster;
}
