import type { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTORY_SCHEMA, historyProjection } from './history.projection.js';

export class History1764000000000 implements MigrationInterface {
  name = 'History1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await historyProjection().createTables(
      { schema: HISTORY_SCHEMA, query: async (sql, params) => runner.query(sql, params as unknown[]) },
      HISTORY_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${HISTORY_SCHEMA} CASCADE`);
  }
}
