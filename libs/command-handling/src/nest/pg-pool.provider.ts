import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import { AppConfig, DATABASE, processPool, type Database } from '@cadre/platform';

/**
 * The api's pool on the process database (idempotency keys, personal-data keys, read models),
 * provided by the command-handling module: the personal-data vault of the commands is on it.
 */
export const PG_POOL = Symbol.for('cadre.api.PgPool');

export const pgPoolProvider: Provider = {
  provide: PG_POOL,
  useFactory: (database: Database, config: AppConfig): pg.Pool =>
    processPool(database, config, { max: 10, applicationName: 'cadre-api' }),
  inject: [DATABASE, AppConfig],
};
