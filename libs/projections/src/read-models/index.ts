import type { MigrationInterface } from 'typeorm';
import type { Projection } from '../projection.js';
import { AssignmentLedger1764057600000 } from './assignment-ledger/1764057600000-assignment-ledger.migration.js';
import {
  AssignmentLedgerEntryEntity,
  AssignmentLedgerTeamEntity,
} from './assignment-ledger/assignment-ledger.entity.js';
import { assignmentLedgerProjection } from './assignment-ledger/assignment-ledger.projection.js';
import { History1764000000000 } from './history/1764000000000-history.migration.js';
import { historyProjection } from './history/history.projection.js';

/**
 * Every read model of Cadre: its projection (how events become rows), its TypeORM entities (how
 * the api reads them) and its migrations (how its live tables are created). One folder per read
 * model under read-models/; add each one here.
 */
export interface ReadModelDependencies {
  /** Unseals personal fields for read models that show names (null once erased). */
  readonly unseal?: (staffId: string, field: string, sealed: unknown) => Promise<string | null>;
}

export const readModelProjections = (_deps: ReadModelDependencies): Projection[] => [
  historyProjection(),
  assignmentLedgerProjection(),
];

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export const READ_MODEL_ENTITIES: Function[] = [AssignmentLedgerEntryEntity, AssignmentLedgerTeamEntity];

export const READ_MODEL_MIGRATIONS: (new () => MigrationInterface)[] = [
  History1764000000000,
  AssignmentLedger1764057600000,
];

export { HISTORY_SCHEMA } from './history/history.projection.js';
export { ASSIGNMENT_LEDGER_SCHEMA } from './assignment-ledger/assignment-ledger.projection.js';
