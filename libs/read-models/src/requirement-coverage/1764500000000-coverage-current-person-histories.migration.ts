import type { MigrationInterface, QueryRunner } from 'typeorm';
import { historyTablesSql } from '../bitemporal/history.js';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { COVERAGE_SCHEMA, coverageProjection, staffHistory } from './coverage.projection.js';

/**
 * `person_histories` becomes a current-state table (one row per person, rewritten in place): the
 * bitemporal one kept a new version of the whole history at every staff fact, and eligibility,
 * its only reader, asks about now. The projection's version 5 rebuilds the model.
 */
export class CoverageCurrentPersonHistories1764500000000 implements MigrationInterface {
  name = 'CoverageCurrentPersonHistories1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${COVERAGE_SCHEMA}.person_histories`);
    await coverageProjection().createTables(migrationTransaction(runner, COVERAGE_SCHEMA), COVERAGE_SCHEMA);
  }

  /** Back to version 4's bitemporal table (empty: version 4 rebuilds it). */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${COVERAGE_SCHEMA}.person_histories`);
    const [current] = staffHistory.currents ?? [];
    if (!current) return;
    const v4 = { ...staffHistory, histories: [{ ...current, timeline: () => [] }], currents: [] };
    for (const sql of historyTablesSql(COVERAGE_SCHEMA, v4)) await runner.query(sql);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS person_histories_by_jurisdiction ON ${COVERAGE_SCHEMA}.person_histories (jurisdiction) WHERE superseded_at IS NULL`,
    );
  }
}
