import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EXPIRY_GAPS_SCHEMA } from './expiry-gaps.projection.js';

/**
 * The expiry-gaps query probes each candidate's team service through a GIN index on the teams'
 * member arrays, instead of building the set of everyone serving at the point and scanning it per
 * candidate (linear in the number serving); `team_members_at`, used only by that set, goes.
 */
export class ExpiryGapsTeamServiceIndex1764300000000 implements MigrationInterface {
  name = 'ExpiryGapsTeamServiceIndex1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS team_members_by_member ON ${EXPIRY_GAPS_SCHEMA}.team_members USING gin (members) WITH (fastupdate = off)`,
    );
    await runner.query(`DROP INDEX IF EXISTS ${EXPIRY_GAPS_SCHEMA}.team_members_at`);
    await runner.query(`ANALYZE ${EXPIRY_GAPS_SCHEMA}.team_members`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS team_members_at ON ${EXPIRY_GAPS_SCHEMA}.team_members ((coalesce(valid_to, 'infinity'::timestamptz)), (coalesce(superseded_at, 'infinity'::timestamptz)), valid_from, recorded_at)`,
    );
    await runner.query(`DROP INDEX IF EXISTS ${EXPIRY_GAPS_SCHEMA}.team_members_by_member`);
  }
}
