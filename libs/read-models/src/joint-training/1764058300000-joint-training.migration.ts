import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { JOINT_TRAINING_SCHEMA, jointTrainingProjection } from './joint-training.projection.js';

export class JointTraining1764058300000 implements MigrationInterface {
  name = 'JointTraining1764058300000';

  async up(runner: QueryRunner): Promise<void> {
    await jointTrainingProjection().createTables(
      migrationTransaction(runner, JOINT_TRAINING_SCHEMA),
      JOINT_TRAINING_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${JOINT_TRAINING_SCHEMA} CASCADE`);
  }
}
