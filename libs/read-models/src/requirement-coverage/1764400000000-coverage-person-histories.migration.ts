import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { COVERAGE_SCHEMA, coverageProjection } from './coverage.projection.js';

/**
 * The eligibility check reads each person's whole history (`person_histories`), the framework
 * roles and the names; `certification_records` (the current period only), its only reader gone,
 * goes. The projection's version 4 rebuilds the model.
 */
export class CoveragePersonHistories1764400000000 implements MigrationInterface {
  name = 'CoveragePersonHistories1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await coverageProjection().createTables(migrationTransaction(runner, COVERAGE_SCHEMA), COVERAGE_SCHEMA);
    await runner.query(`DROP TABLE IF EXISTS ${COVERAGE_SCHEMA}.certification_records`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['person_histories', 'framework_roles', 'names'])
      await runner.query(`DROP TABLE IF EXISTS ${COVERAGE_SCHEMA}.${table}`);
  }
}
