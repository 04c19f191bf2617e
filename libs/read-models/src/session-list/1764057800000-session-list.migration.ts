import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { SESSION_LIST_SCHEMA, sessionListProjection } from './session-list.projection.js';

export class SessionList1764057800000 implements MigrationInterface {
  name = 'SessionList1764057800000';

  async up(runner: QueryRunner): Promise<void> {
    await sessionListProjection().createTables(
      migrationTransaction(runner, SESSION_LIST_SCHEMA),
      SESSION_LIST_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${SESSION_LIST_SCHEMA} CASCADE`);
  }
}
