import { Module } from '@nestjs/common';
import { PersonalDataVault } from '@cadre/personal-data';
import { LapseInboxReadQuery } from '@cadre/read-models';
import { FrameworkCommandHandler } from '../framework/framework.command-handler.js';
import { JurisdictionCommandHandler } from '../jurisdictions/jurisdiction.command-handler.js';
import { AcknowledgeLapseHandler } from '../lapses/acknowledge-lapse.command-handler.js';
import { ProgrammeCommandHandler } from '../programmes/programme.command-handler.js';
import { VoidRecordHandler } from '../records/void-record.command-handler.js';
import { SessionCommandHandler } from '../sessions/session.command-handler.js';
import { EmployeeRefReservations } from '../staff/employee-ref-reservations.js';
import { ErasePersonalDataHandler } from '../staff/erase-personal-data.command-handler.js';
import { ErasureReapplier } from '../staff/erasure-reapplier.js';
import { RegisterStaffHandler } from '../staff/register-staff.command-handler.js';
import { StaffCommandHandler } from '../staff/staff.command-handler.js';
import { TransferStaffHandler } from '../staff/transfer-staff.command-handler.js';
import { TeamCommandHandler } from '../teams/team.command-handler.js';
import { CommandRunner } from './command-runner.js';
import { personalDataVaultProvider } from './personal-data-vault.provider.js';
import { PG_POOL, pgPoolProvider } from './pg-pool.provider.js';
import { ReferenceData } from './reference-data.js';

/**
 * The write side as Nest wires it: the @nestjs/cqrs command handlers of every context (each one
 * runs its decider through {@link CommandRunner}), the reference reads they share, the
 * personal-data vault on the api's pool, and the re-application of recorded erasures at start.
 * The command bus is the application's (`CqrsModule.forRoot()`), as are the event store, the
 * clock, the configuration and the read models' connection: the module registers handlers on it.
 */
@Module({
  providers: [
    pgPoolProvider,
    personalDataVaultProvider,
    CommandRunner,
    ReferenceData,
    EmployeeRefReservations,
    ErasureReapplier,
    LapseInboxReadQuery,
    FrameworkCommandHandler,
    JurisdictionCommandHandler,
    ProgrammeCommandHandler,
    SessionCommandHandler,
    StaffCommandHandler,
    RegisterStaffHandler,
    TransferStaffHandler,
    ErasePersonalDataHandler,
    TeamCommandHandler,
    VoidRecordHandler,
    AcknowledgeLapseHandler,
  ],
  exports: [PG_POOL, PersonalDataVault, CommandRunner, ReferenceData],
})
export class CommandHandlingModule {}
