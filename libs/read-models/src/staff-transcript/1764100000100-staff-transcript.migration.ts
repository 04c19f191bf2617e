import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { STAFF_TRANSCRIPT_SCHEMA, staffTranscriptProjection } from './staff-transcript.projection.js';

export class StaffTranscript1764100000100 implements MigrationInterface {
  name = 'StaffTranscript1764100000100';

  async up(runner: QueryRunner): Promise<void> {
    await staffTranscriptProjection().createTables(
      migrationTransaction(runner, STAFF_TRANSCRIPT_SCHEMA),
      STAFF_TRANSCRIPT_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${STAFF_TRANSCRIPT_SCHEMA} CASCADE`);
  }
}
