import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { TRAINER_REGISTRY_SCHEMA, trainerRegistryProjection } from './trainer-registry.projection.js';

export class TrainerRegistry1764100000300 implements MigrationInterface {
  name = 'TrainerRegistry1764100000300';

  async up(runner: QueryRunner): Promise<void> {
    await trainerRegistryProjection().createTables(
      migrationTransaction(runner, TRAINER_REGISTRY_SCHEMA),
      TRAINER_REGISTRY_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${TRAINER_REGISTRY_SCHEMA} CASCADE`);
  }
}
