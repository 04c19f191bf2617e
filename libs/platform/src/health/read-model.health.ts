import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import pg from 'pg';
import { DATABASE, type Database } from '../database/database.tokens.js';

/** Readiness of the read-model database: one `SELECT 1` on a pool of its own, bounded in time. */
@Injectable()
export class ReadModelHealthIndicator {
  private readonly pool: pg.Pool;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) database: Database,
  ) {
    this.pool = new pg.Pool({
      connectionString: database.url,
      max: 1,
      connectionTimeoutMillis: 1500,
      idleTimeoutMillis: 10_000,
      application_name: 'cadre-health',
    });
    // An idle connection dropped by the server must not crash the process; the next check reports it.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    database.onShutdown(() => this.pool.end());
  }

  check(key = 'readModelDatabase') {
    return this.indicators
      .check(key)
      .attempt(async () => {
        await this.pool.query('SELECT 1');
      })
      .withTimeout(2000);
  }
}
