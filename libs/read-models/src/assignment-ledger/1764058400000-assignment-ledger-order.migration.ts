import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationTransaction } from '../bitemporal/migration-tx.js';
import { ASSIGNMENT_LEDGER_SCHEMA, assignmentLedgerProjection } from './assignment-ledger.projection.js';

/** Adds `seq`: the lines of one command (an approval and its assignment) keep their recorded order. */
export class AssignmentLedgerOrder1764058400000 implements MigrationInterface {
  name = 'AssignmentLedgerOrder1764058400000';

  async up(runner: QueryRunner): Promise<void> {
    await assignmentLedgerProjection().createTables(
      migrationTransaction(runner, ASSIGNMENT_LEDGER_SCHEMA),
      ASSIGNMENT_LEDGER_SCHEMA,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${ASSIGNMENT_LEDGER_SCHEMA}.entries DROP COLUMN IF EXISTS seq`);
  }
}
