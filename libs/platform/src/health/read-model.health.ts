import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DATABASE, type Database } from '../database/database.tokens.js';
import { resilientPool } from '../database/process-pool.js';

/**
 * The read path's own probe: one `SELECT 1` through the pool the reads use (provided by the read
 * models' module), so that readiness fails when reads cannot get a connection — not only when the
 * server is down.
 */
export const READ_PATH_PROBE = Symbol.for('cadre.ReadPathProbe');
export type ReadPathProbe = () => Promise<void>;

/**
 * Readiness of the read-model database, bounded in time: through the read path's probe where the
 * process has read models, else one `SELECT 1` on a one-connection pool of its own.
 */
@Injectable()
export class ReadModelHealthIndicator {
  private readonly probe: ReadPathProbe;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) database: Database,
    @Optional() @Inject(READ_PATH_PROBE) readPath: ReadPathProbe | null,
  ) {
    this.probe = readPath ?? ownPool(database);
  }

  check(key = 'readModelDatabase') {
    return this.indicators
      .check(key)
      .attempt(() => this.probe())
      .withTimeout(2000);
  }
}

function ownPool(database: Database): ReadPathProbe {
  // An idle connection dropped by the server must not crash the process; the next check reports it.
  const pool = resilientPool({
    connectionString: database.url,
    max: 1,
    connectionTimeoutMillis: 1500,
    idleTimeoutMillis: 10_000,
    application_name: 'cadre-health',
    options: '-c statement_timeout=1500',
  });
  database.onShutdown(() => pool.end());
  return async () => {
    await pool.query('SELECT 1');
  };
}
