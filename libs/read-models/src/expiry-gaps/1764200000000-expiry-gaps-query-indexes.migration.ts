import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EXPIRY_GAPS_SCHEMA, expiryGapsIndexes } from './expiry-gaps.projection.js';

/**
 * The expiry-gaps query's indexes (a walk in the page's order with the point-in-time visibility
 * inside the index); `certifications_by_until` (believed rows only, which a `knownAt` query
 * cannot use) is replaced by `certifications_by_end`.
 */
export class ExpiryGapsQueryIndexes1764200000000 implements MigrationInterface {
  name = 'ExpiryGapsQueryIndexes1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of expiryGapsIndexes(EXPIRY_GAPS_SCHEMA)) await runner.query(sql);
    await runner.query(`DROP INDEX IF EXISTS ${EXPIRY_GAPS_SCHEMA}.certifications_by_until`);
    await runner.query(`ANALYZE ${EXPIRY_GAPS_SCHEMA}.certifications`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS certifications_by_until ON ${EXPIRY_GAPS_SCHEMA}.certifications (certified_until) WHERE superseded_at IS NULL`,
    );
    for (const index of [
      'certifications_by_end',
      'certifications_by_competency',
      'members_by_staff',
      'team_members_at',
    ])
      await runner.query(`DROP INDEX IF EXISTS ${EXPIRY_GAPS_SCHEMA}.${index}`);
  }
}
