import type { MigrationInterface, QueryRunner } from 'typeorm';
import { JOINT_TRAINING_SCHEMA, jointTrainingIndexes } from './joint-training.projection.js';

/** The joint-training query's index: the attendances by the session's start. */
export class JointTrainingQueryIndexes1764200000200 implements MigrationInterface {
  name = 'JointTrainingQueryIndexes1764200000200';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of jointTrainingIndexes(JOINT_TRAINING_SCHEMA)) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${JOINT_TRAINING_SCHEMA}.attendances_by_start`);
  }
}
