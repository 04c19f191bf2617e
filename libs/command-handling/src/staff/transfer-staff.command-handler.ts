import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { staffDecider, staffStream, type StaffState, type TransferStaffMember } from '@cadre/domain';
import { loadAggregate, type CommandResult } from '../handle-command.js';
import { PersonalDataVault } from '@cadre/personal-data';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { EmployeeRefReservations } from './employee-ref-reservations.js';
import { ExecuteStaffCommand } from './staff.command-handler.js';
import { registeredPersonalData, unsealPersonalData } from './staff-personal-data.js';

export class TransferStaff extends Command<CommandResult<StaffState>> {
  constructor(
    readonly command: TransferStaffMember,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

/**
 * A transfer within the jurisdiction is one staff command. A transfer to another jurisdiction
 * also moves the employeeRef reservation, since the reference is unique per jurisdiction: the
 * transfer is decided first (a refused one reserves nothing), the reference is reserved in the
 * new jurisdiction (409 if another member there holds it), the transfer is recorded (on failure
 * the new reservation is released), and the old reservation is released last. An erased member's
 * reference is forgotten and moves nowhere.
 */
@CommandHandler(TransferStaff)
export class TransferStaffHandler implements ICommandHandler<TransferStaff> {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly vault: PersonalDataVault,
    private readonly reservations: EmployeeRefReservations,
  ) {}

  async execute({ command, request }: TransferStaff): Promise<CommandResult<StaffState>> {
    const transfer = () =>
      this.commands.execute(new ExecuteStaffCommand(command.data.staffId, command, request));
    const { staffId, jurisdiction: to } = command.data;
    const { state, events } = await loadAggregate(this.runner.store, staffStream(staffId), staffDecider);
    if (state.status === 'unregistered' || to === undefined || to === state.jurisdiction) return transfer();
    const base = this.runner.context(request);
    staffDecider.decide(command, state, base);
    const personal = state.personalDataErased
      ? null
      : await unsealPersonalData(this.vault, staffId, registeredPersonalData(events));
    if (!personal) return transfer();

    await this.reservations.reserve(to, personal.employeeRef, staffId, request);
    let result: CommandResult<StaffState>;
    try {
      result = await transfer();
    } catch (error) {
      await this.reservations.release(to, personal.employeeRef, staffId, request);
      throw error;
    }
    await this.reservations.release(state.jurisdiction, personal.employeeRef, staffId, request);
    return result;
  }
}
