import { randomIds } from '@cadre/kernel';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { staffDecider, type CommandMetadata, type RegisterStaffMember, type StaffState } from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { PersonalDataVault } from '@cadre/personal-data';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';
import { EmployeeRefReservations } from './employee-ref-reservations.js';
import { ExecuteStaffCommand, staffContext } from './staff.command-handler.js';
import { sealPersonalData, type StaffPersonalData } from './staff-personal-data.js';

export interface StaffRegistration {
  readonly agency: RegisterStaffMember['data']['agency'];
  readonly jurisdiction: string;
  readonly institution: string;
  readonly role: string;
  readonly personalData: StaffPersonalData;
  readonly metadata?: CommandMetadata;
}

/** Registers a new staff member under a fresh surrogate id. */
export class RegisterStaff extends Command<{ staffId: string; result: CommandResult<StaffState> }> {
  constructor(
    readonly registration: StaffRegistration,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

// Stands in for the sealed data while the registration is checked, before anything is written.
const NOT_YET_SEALED = { ciphertext: 'not-yet-sealed' };

/**
 * Two streams, never half a write. The registration is decided first on the empty state (a
 * refused one reserves nothing and seals nothing); then the employeeRef is reserved on its own
 * stream (a second registration of it in the jurisdiction is a 409); then the personal data is
 * sealed and the staff stream created. If that fails, the reservation is released again, so that
 * a retry (or another member) can take the reference; if that release fails too (the database
 * gone), the employee-ref orphans process releases it once the grace period has passed
 * (decision 0020).
 */
@CommandHandler(RegisterStaff)
export class RegisterStaffHandler implements ICommandHandler<RegisterStaff> {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
    private readonly vault: PersonalDataVault,
    private readonly reservations: EmployeeRefReservations,
  ) {}

  async execute({ registration, request }: RegisterStaff): Promise<{
    staffId: string;
    result: CommandResult<StaffState>;
  }> {
    const { personalData, metadata, ...placement } = registration;
    const command = (
      staffId: string,
      sealed: RegisterStaffMember['data']['personalData'],
    ): RegisterStaffMember => ({
      type: 'RegisterStaffMember',
      data: { staffId, ...placement, personalData: sealed },
      metadata,
    });
    await this.check(command(randomIds(), NOT_YET_SEALED), request);

    const { jurisdiction } = placement;
    // A fresh id, unless this request's Idempotency-Key reserved the reference for another one in
    // an attempt that was cut short: the retry completes that member (decision 0019).
    const staffId = await this.reservations.reserve(
      jurisdiction,
      personalData.employeeRef,
      randomIds(),
      request,
    );
    try {
      const sealed = await sealPersonalData(this.vault, staffId, personalData);
      const result = await this.commands.execute(
        new ExecuteStaffCommand(staffId, command(staffId, sealed), request, false),
      );
      return { staffId, result };
    } catch (error) {
      await this.reservations.release(jurisdiction, personalData.employeeRef, staffId, request);
      throw error;
    }
  }

  /** Decides the registration on the empty state, without writing: throws its refusal. */
  private async check(command: RegisterStaffMember, request: CommandRequest): Promise<void> {
    const base = this.runner.context(request);
    const state = staffDecider.initialState();
    staffDecider.decide(command, state, await staffContext(this.reference, command)(state, base));
  }
}
