import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { MATRIX_CONFORMANCE_SCHEMA, matrixConformanceProjection } from './matrix-conformance.projection.js';

export class MatrixConformance1764058200000 implements MigrationInterface {
  name = 'MatrixConformance1764058200000';

  async up(runner: QueryRunner): Promise<void> {
    await matrixConformanceProjection().createTables(
      migrationTransaction(runner, MATRIX_CONFORMANCE_SCHEMA),
      MATRIX_CONFORMANCE_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${MATRIX_CONFORMANCE_SCHEMA} CASCADE`);
  }
}
