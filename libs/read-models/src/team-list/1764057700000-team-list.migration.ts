import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { TEAM_LIST_SCHEMA, teamListProjection } from './team-list.projection.js';

export class TeamList1764057700000 implements MigrationInterface {
  name = 'TeamList1764057700000';

  async up(runner: QueryRunner): Promise<void> {
    await teamListProjection().createTables(migrationTransaction(runner, TEAM_LIST_SCHEMA), TEAM_LIST_SCHEMA);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${TEAM_LIST_SCHEMA} CASCADE`);
  }
}
