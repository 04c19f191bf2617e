import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { EXPIRY_GAPS_SCHEMA, expiryGapsProjection } from './expiry-gaps.projection.js';

export class ExpiryGaps1764100000200 implements MigrationInterface {
  name = 'ExpiryGaps1764100000200';

  async up(runner: QueryRunner): Promise<void> {
    await expiryGapsProjection().createTables(
      migrationTransaction(runner, EXPIRY_GAPS_SCHEMA),
      EXPIRY_GAPS_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${EXPIRY_GAPS_SCHEMA} CASCADE`);
  }
}
