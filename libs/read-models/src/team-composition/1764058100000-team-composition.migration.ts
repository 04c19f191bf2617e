import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { TEAM_COMPOSITION_SCHEMA, teamCompositionProjection } from './team-composition.projection.js';

export class TeamComposition1764058100000 implements MigrationInterface {
  name = 'TeamComposition1764058100000';

  async up(runner: QueryRunner): Promise<void> {
    await teamCompositionProjection().createTables(
      migrationTransaction(runner, TEAM_COMPOSITION_SCHEMA),
      TEAM_COMPOSITION_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${TEAM_COMPOSITION_SCHEMA} CASCADE`);
  }
}
