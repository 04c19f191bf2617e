import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { ASSIGNMENT_LEDGER_SCHEMA, assignmentLedgerProjection } from './assignment-ledger.projection.js';

export class AssignmentLedger1764057600000 implements MigrationInterface {
  name = 'AssignmentLedger1764057600000';

  async up(runner: QueryRunner): Promise<void> {
    await assignmentLedgerProjection().createTables(
      migrationTransaction(runner, ASSIGNMENT_LEDGER_SCHEMA),
      ASSIGNMENT_LEDGER_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${ASSIGNMENT_LEDGER_SCHEMA} CASCADE`);
  }
}
