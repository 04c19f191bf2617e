import { Module } from '@nestjs/common';
import { JointTrainingModule } from './read-side/joint-training/joint-training.module.js';
import { MatrixConformanceModule } from './read-side/matrix-conformance/matrix-conformance.module.js';
import { TeamCompositionModule } from './read-side/team-composition/team-composition.module.js';
import { EligibilityModule } from './read-side/eligibility/eligibility.module.js';
import { CoverageModule } from './read-side/requirement-coverage/coverage.module.js';
import { TeamListModule } from './read-side/team-list/team-list.module.js';
import { SessionListModule } from './read-side/session-list/session-list.module.js';
import { AssignmentLedgerModule } from './read-side/assignment-ledger/assignment-ledger.module.js';
import { FrameworkModule } from './framework/framework.module.js';
import { JurisdictionModule } from './jurisdictions/jurisdiction.module.js';
import { ProgrammeModule } from './programmes/programme.module.js';
import { RecordsModule } from './records/records.module.js';
import { StaffDirectoryModule } from './read-side/staff-directory/staff-directory.module.js';
import { StaffTranscriptModule } from './read-side/staff-transcript/staff-transcript.module.js';
import { ExpiryGapsModule } from './read-side/expiry-gaps/expiry-gaps.module.js';
import { TrainerRegistryModule } from './read-side/trainer-registry/trainer-registry.module.js';
import { LapseInboxModule } from './read-side/lapse-inbox/lapse-inbox.module.js';
import { SessionModule } from './sessions/session.module.js';
import { ApiCommonModule } from './shared/api-common.module.js';
import { AuditModule } from './audit/audit.module.js';
import { FeedsModule } from './feeds/feeds.module.js';
import { StaffModule } from './staff/staff.module.js';
import { TeamModule } from './teams/team.module.js';

/** Every bounded context of the HTTP api (`/v1/...`). */
@Module({
  imports: [
    ApiCommonModule,
    AuditModule,
    FeedsModule,
    FrameworkModule,
    JurisdictionModule,
    ProgrammeModule,
    SessionModule,
    StaffModule,
    RecordsModule,
    TeamModule,
    AssignmentLedgerModule,
    StaffDirectoryModule,
    StaffTranscriptModule,
    ExpiryGapsModule,
    TrainerRegistryModule,
    LapseInboxModule,
    TeamListModule,
    SessionListModule,
    CoverageModule,
    EligibilityModule,
    TeamCompositionModule,
    MatrixConformanceModule,
    JointTrainingModule,
  ],
})
export class ApiModule {}
