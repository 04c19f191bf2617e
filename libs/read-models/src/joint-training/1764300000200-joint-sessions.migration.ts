import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { JOINT_TRAINING_SCHEMA, jointTrainingProjection } from './joint-training.projection.js';

/**
 * `joint_sessions`: when each session was joint, so the query no longer groups every attendance
 * of its window. The projection's version goes to 3: its runner rebuilds it from the log, which
 * fills the new table (or `cadre projections:rebuild joint-training`, with no downtime).
 */
export class JointSessions1764300000200 implements MigrationInterface {
  name = 'JointSessions1764300000200';

  async up(runner: QueryRunner): Promise<void> {
    await jointTrainingProjection().createTables(
      migrationTransaction(runner, JOINT_TRAINING_SCHEMA),
      JOINT_TRAINING_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOINT_TRAINING_SCHEMA}.joint_sessions`);
  }
}
