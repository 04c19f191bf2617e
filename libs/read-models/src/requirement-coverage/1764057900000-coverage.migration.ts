import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { COVERAGE_SCHEMA, coverageProjection } from './coverage.projection.js';

export class Coverage1764057900000 implements MigrationInterface {
  name = 'Coverage1764057900000';

  async up(runner: QueryRunner): Promise<void> {
    await coverageProjection().createTables(migrationTransaction(runner, COVERAGE_SCHEMA), COVERAGE_SCHEMA);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${COVERAGE_SCHEMA} CASCADE`);
  }
}
