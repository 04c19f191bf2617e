import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TRAINER_REGISTRY_SCHEMA, trainerRegistryIndexes } from './trainer-registry.projection.js';

/**
 * The trainer-registry query's indexes; `sessions_by_trainer` without a pending list, the list it
 * has merged into the index now.
 */
export class TrainerRegistryQueryIndexes1764200000100 implements MigrationInterface {
  name = 'TrainerRegistryQueryIndexes1764200000100';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of trainerRegistryIndexes(TRAINER_REGISTRY_SCHEMA)) await runner.query(sql);
    await runner.query(`ALTER INDEX ${TRAINER_REGISTRY_SCHEMA}.sessions_by_trainer SET (fastupdate = off)`);
    await runner.query(
      `SELECT gin_clean_pending_list('${TRAINER_REGISTRY_SCHEMA}.sessions_by_trainer'::regclass)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER INDEX ${TRAINER_REGISTRY_SCHEMA}.sessions_by_trainer RESET (fastupdate)`);
    for (const index of ['certifications_trainers', 'members_by_staff'])
      await runner.query(`DROP INDEX IF EXISTS ${TRAINER_REGISTRY_SCHEMA}.${index}`);
  }
}
