import type { MigrationInterface, QueryRunner } from 'typeorm';
import { COVERAGE_SCHEMA, coverageIndexes } from './coverage.projection.js';

/** The coverage query's indexes: placements by jurisdiction, certifications by person, both at a point in time. */
export class CoverageQueryIndexes1764300000100 implements MigrationInterface {
  name = 'CoverageQueryIndexes1764300000100';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of coverageIndexes(COVERAGE_SCHEMA)) await runner.query(sql);
    await runner.query(`ANALYZE ${COVERAGE_SCHEMA}.placements`);
    await runner.query(`ANALYZE ${COVERAGE_SCHEMA}.certifications`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of ['placements_by_jurisdiction', 'certifications_by_staff'])
      await runner.query(`DROP INDEX IF EXISTS ${COVERAGE_SCHEMA}.${index}`);
  }
}
