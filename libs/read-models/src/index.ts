import type { MigrationInterface } from 'typeorm';
import type { Projection } from '@cadre/subscriptions';
import { JointTraining1764058300000 } from './joint-training/1764058300000-joint-training.migration.js';
import { JointTrainingQueryIndexes1764200000200 } from './joint-training/1764200000200-joint-training-query-indexes.migration.js';
import {
  JointSessionHistoryEntity,
  SessionAttendanceHistoryEntity,
} from './joint-training/joint-training.entity.js';
import { jointTrainingProjection } from './joint-training/joint-training.projection.js';
import { MatrixConformance1764058200000 } from './matrix-conformance/1764058200000-matrix-conformance.migration.js';
import {
  FrameworkAdoptionHistoryEntity,
  FrameworkPublicationHistoryEntity,
  MatrixRequirementHistoryEntity,
} from './matrix-conformance/matrix-conformance.entity.js';
import { matrixConformanceProjection } from './matrix-conformance/matrix-conformance.projection.js';
import { TeamComposition1764058100000 } from './team-composition/1764058100000-team-composition.migration.js';
import {
  TeamHistoryEntity,
  TeamLapseHistoryEntity,
  TeamMembershipHistoryEntity,
} from './team-composition/team-composition.entity.js';
import { teamCompositionProjection } from './team-composition/team-composition.projection.js';
import { Coverage1764057900000 } from './requirement-coverage/1764057900000-coverage.migration.js';
import { CoverageCertificationRecords1764058000000 } from './requirement-coverage/1764058000000-coverage-certification-records.migration.js';
import { CoveragePersonHistories1764400000000 } from './requirement-coverage/1764400000000-coverage-person-histories.migration.js';
import { CoverageCurrentPersonHistories1764500000000 } from './requirement-coverage/1764500000000-coverage-current-person-histories.migration.js';
import {
  CertificationValidityHistoryEntity,
  PersonHistoryEntity,
  RequirementInForceHistoryEntity,
  StaffPlacementHistoryEntity,
} from './requirement-coverage/coverage.entity.js';
import { coverageProjection } from './requirement-coverage/coverage.projection.js';
import { TeamList1764057700000 } from './team-list/1764057700000-team-list.migration.js';
import { TeamListEntity } from './team-list/team-list.entity.js';
import { teamListProjection } from './team-list/team-list.projection.js';
import { SessionList1764057800000 } from './session-list/1764057800000-session-list.migration.js';
import { SessionListEntity } from './session-list/session-list.entity.js';
import { sessionListProjection } from './session-list/session-list.projection.js';
import { AssignmentLedger1764057600000 } from './assignment-ledger/1764057600000-assignment-ledger.migration.js';
import { AssignmentLedgerOrder1764058400000 } from './assignment-ledger/1764058400000-assignment-ledger-order.migration.js';
import {
  AssignmentLedgerEntryEntity,
  AssignmentLedgerTeamEntity,
} from './assignment-ledger/assignment-ledger.entity.js';
import { assignmentLedgerProjection } from './assignment-ledger/assignment-ledger.projection.js';
import { History1764000000000 } from './history/1764000000000-history.migration.js';
import { historyProjection } from './history/history.projection.js';
import { StaffDirectory1764100000000 } from './staff-directory/1764100000000-staff-directory.migration.js';
import { StaffDirectoryEntity } from './staff-directory/staff-directory.entity.js';
import { staffDirectoryProjection } from './staff-directory/staff-directory.projection.js';
import { StaffTranscript1764100000100 } from './staff-transcript/1764100000100-staff-transcript.migration.js';
import * as staffTranscript from './staff-transcript/staff-transcript.entity.js';
import { staffTranscriptProjection } from './staff-transcript/staff-transcript.projection.js';
import { ExpiryGaps1764100000200 } from './expiry-gaps/1764100000200-expiry-gaps.migration.js';
import { ExpiryGapsQueryIndexes1764200000000 } from './expiry-gaps/1764200000000-expiry-gaps-query-indexes.migration.js';
import { CoverageQueryIndexes1764300000100 } from './requirement-coverage/1764300000100-coverage-query-indexes.migration.js';
import { StaffSearchIndexFastupdateOff1764300000300 } from './staff-directory/1764300000300-staff-search-index-fastupdate-off.migration.js';
import { JointSessions1764300000200 } from './joint-training/1764300000200-joint-sessions.migration.js';
import { ExpiryGapsTeamServiceIndex1764300000000 } from './expiry-gaps/1764300000000-expiry-gaps-team-service-index.migration.js';
import * as expiryGaps from './expiry-gaps/expiry-gaps.entity.js';
import { expiryGapsProjection } from './expiry-gaps/expiry-gaps.projection.js';
import { TrainerRegistry1764100000300 } from './trainer-registry/1764100000300-trainer-registry.migration.js';
import { TrainerRegistryQueryIndexes1764200000100 } from './trainer-registry/1764200000100-trainer-registry-query-indexes.migration.js';
import * as trainerRegistry from './trainer-registry/trainer-registry.entity.js';
import { trainerRegistryProjection } from './trainer-registry/trainer-registry.projection.js';
import { LapseInbox1764100000400 } from './lapse-inbox/1764100000400-lapse-inbox.migration.js';
import * as lapseInbox from './lapse-inbox/lapse-inbox.entity.js';
import { lapseInboxProjection } from './lapse-inbox/lapse-inbox.projection.js';

/**
 * Every read model of Cadre: its projection (how events become rows), its TypeORM entities (how
 * the api reads them) and its migrations (how its live tables are created). One folder per read
 * model under read-models/; add each one here.
 */
export interface ReadModelDependencies {
  /** Unseals personal fields for read models that show names (null once erased). */
  readonly unseal?: (staffId: string, field: string, sealed: unknown) => Promise<string | null>;
}

export const readModelProjections = (deps: ReadModelDependencies): Projection[] => [
  historyProjection(),
  assignmentLedgerProjection(),
  staffDirectoryProjection(deps),
  staffTranscriptProjection(deps),
  expiryGapsProjection(deps),
  trainerRegistryProjection(deps),
  lapseInboxProjection(deps),
  teamListProjection(),
  sessionListProjection(),
  coverageProjection(deps),
  teamCompositionProjection(),
  matrixConformanceProjection(),
  jointTrainingProjection(),
];

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export const READ_MODEL_ENTITIES: Function[] = [
  AssignmentLedgerEntryEntity,
  AssignmentLedgerTeamEntity,
  StaffDirectoryEntity,
  ...Object.values(staffTranscript),
  ...Object.values(expiryGaps),
  ...Object.values(trainerRegistry),
  ...Object.values(lapseInbox),
  TeamListEntity,
  SessionListEntity,
  StaffPlacementHistoryEntity,
  CertificationValidityHistoryEntity,
  RequirementInForceHistoryEntity,
  PersonHistoryEntity,
  TeamHistoryEntity,
  TeamMembershipHistoryEntity,
  TeamLapseHistoryEntity,
  FrameworkAdoptionHistoryEntity,
  FrameworkPublicationHistoryEntity,
  MatrixRequirementHistoryEntity,
  SessionAttendanceHistoryEntity,
  JointSessionHistoryEntity,
];

export const READ_MODEL_MIGRATIONS: (new () => MigrationInterface)[] = [
  History1764000000000,
  AssignmentLedger1764057600000,
  AssignmentLedgerOrder1764058400000,
  StaffDirectory1764100000000,
  StaffTranscript1764100000100,
  ExpiryGaps1764100000200,
  TrainerRegistry1764100000300,
  LapseInbox1764100000400,
  TeamList1764057700000,
  SessionList1764057800000,
  Coverage1764057900000,
  CoverageCertificationRecords1764058000000,
  TeamComposition1764058100000,
  MatrixConformance1764058200000,
  JointTraining1764058300000,
  ExpiryGapsQueryIndexes1764200000000,
  TrainerRegistryQueryIndexes1764200000100,
  JointTrainingQueryIndexes1764200000200,
  ExpiryGapsTeamServiceIndex1764300000000,
  CoverageQueryIndexes1764300000100,
  JointSessions1764300000200,
  StaffSearchIndexFastupdateOff1764300000300,
  CoveragePersonHistories1764400000000,
  CoverageCurrentPersonHistories1764500000000,
];

export { HISTORY_SCHEMA } from './history/history.projection.js';
export { ASSIGNMENT_LEDGER_SCHEMA } from './assignment-ledger/assignment-ledger.projection.js';
export { STAFF_DIRECTORY_SCHEMA } from './staff-directory/staff-directory.projection.js';
export { STAFF_TRANSCRIPT_SCHEMA } from './staff-transcript/staff-transcript.projection.js';
export { EXPIRY_GAPS_SCHEMA } from './expiry-gaps/expiry-gaps.projection.js';
export { TRAINER_REGISTRY_SCHEMA } from './trainer-registry/trainer-registry.projection.js';
export { LAPSE_INBOX_SCHEMA } from './lapse-inbox/lapse-inbox.projection.js';
export { INBOX_EVENTS, lapseRow } from './lapse-inbox/lapse-inbox.rows.js';
export { TEAM_LIST_SCHEMA } from './team-list/team-list.projection.js';
export { SESSION_LIST_SCHEMA } from './session-list/session-list.projection.js';
export { COVERAGE_SCHEMA } from './requirement-coverage/coverage.projection.js';
export { TEAM_COMPOSITION_SCHEMA } from './team-composition/team-composition.projection.js';
export { MATRIX_CONFORMANCE_SCHEMA } from './matrix-conformance/matrix-conformance.projection.js';
export { JOINT_TRAINING_SCHEMA } from './joint-training/joint-training.projection.js';

export * from './integrity/index.js';
export * from './read-model-session.js';
export * from './queries/index.js';
export * from './assignment-ledger/assignment-ledger.query.js';
export * from './eligibility/eligibility.query.js';
export * from './expiry-gaps/expiry-gaps.query.js';
export * from './joint-training/joint-training.query.js';
export * from './lapse-inbox/lapse-inbox.query.js';
export * from './matrix-conformance/matrix-conformance.query.js';
export * from './requirement-coverage/coverage.query.js';
export * from './staff-directory/staff-directory.query.js';
export * from './staff-transcript/staff-transcript.query.js';
export * from './team-composition/team-composition.query.js';
export * from './trainer-registry/trainer-registry.query.js';
export * from './eligibility/eligible-staff.page.js';
