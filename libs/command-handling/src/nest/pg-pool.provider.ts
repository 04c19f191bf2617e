import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import { resilientPool } from '@cadre/event-store';
import { AppConfig, DATABASE, type Database } from '@cadre/platform';

/**
 * The api's pool on the process database (idempotency keys, personal-data keys, read models),
 * provided by the command-handling module: the personal-data vault of the commands is on it.
 */
export const PG_POOL = Symbol.for('cadre.api.PgPool');

export const pgPoolProvider: Provider = {
  provide: PG_POOL,
  useFactory: (database: Database, config: AppConfig): pg.Pool => {
    const pool = resilientPool({
      connectionString: database.url,
      max: 10,
      application_name: 'cadre-api',
      connectionTimeoutMillis: config.CADRE_DB_CONNECT_TIMEOUT_MS,
    });
    pool.on('error', () => undefined);
    database.onShutdown(() => pool.end());
    return pool;
  },
  inject: [DATABASE, AppConfig],
};
