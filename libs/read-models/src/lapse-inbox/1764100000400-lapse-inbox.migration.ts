import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { LAPSE_INBOX_SCHEMA, lapseInboxProjection } from './lapse-inbox.projection.js';

export class LapseInbox1764100000400 implements MigrationInterface {
  name = 'LapseInbox1764100000400';

  async up(runner: QueryRunner): Promise<void> {
    await lapseInboxProjection().createTables(
      migrationTransaction(runner, LAPSE_INBOX_SCHEMA),
      LAPSE_INBOX_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${LAPSE_INBOX_SCHEMA} CASCADE`);
  }
}
