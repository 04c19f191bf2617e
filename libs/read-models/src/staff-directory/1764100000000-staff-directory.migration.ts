import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { STAFF_DIRECTORY_SCHEMA, staffDirectoryProjection } from './staff-directory.projection.js';

export class StaffDirectory1764100000000 implements MigrationInterface {
  name = 'StaffDirectory1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await staffDirectoryProjection().createTables(
      migrationTransaction(runner, STAFF_DIRECTORY_SCHEMA),
      STAFF_DIRECTORY_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${STAFF_DIRECTORY_SCHEMA} CASCADE`);
  }
}
