import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { COVERAGE_SCHEMA, coverageProjection } from './coverage.projection.js';

/** Adds the certification records (current state) the eligibility check reads. */
export class CoverageCertificationRecords1764058000000 implements MigrationInterface {
  name = 'CoverageCertificationRecords1764058000000';

  async up(runner: QueryRunner): Promise<void> {
    await coverageProjection().createTables(migrationTransaction(runner, COVERAGE_SCHEMA), COVERAGE_SCHEMA);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${COVERAGE_SCHEMA}.certification_records`);
  }
}
