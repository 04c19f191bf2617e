import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  staffDecider,
  staffStream,
  type ErasePersonalData as EraseCommand,
  type StaffState,
} from '@cadre/domain';
import { loadAggregate, RevisionMismatchError, type CommandResult } from '../handle-command.js';
import { PersonalDataVault } from '@cadre/personal-data';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { EmployeeRefReservations } from './employee-ref-reservations.js';
import { ExecuteStaffCommand } from './staff.command-handler.js';
import { registeredPersonalData, unsealPersonalData } from './staff-personal-data.js';

/** Forgets a staff member: their events stay, their personal data can never be read again. */
export class ErasePersonalData extends Command<CommandResult<StaffState>> {
  constructor(
    readonly staffId: string,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

/**
 * The employeeRef is personal data too: once the person is forgotten, their reference no longer
 * names anyone, and the same reference may be registered again (a rehire gets a new record). Its
 * reservation can only be found through the reference, which only the data key can unseal, so it
 * is freed while the key still exists, before anything is recorded: the erasure is decided first
 * (refusals — unknown member, other jurisdiction, a stale `If-Match` — free and destroy nothing),
 * the reservation is freed (a failure stops here, nothing written), `StaffPersonalDataErased` is
 * recorded (on failure the reservation is taken back), and the data key is destroyed last. Asked
 * again, the decider records nothing and the key is destroyed again (idempotent): a crash between
 * the last two steps is finished by a retry, and in any case by the re-application of recorded
 * erasures at every start.
 */
@CommandHandler(ErasePersonalData)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalData> {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly vault: PersonalDataVault,
    private readonly reservations: EmployeeRefReservations,
  ) {}

  async execute({ staffId, request }: ErasePersonalData): Promise<CommandResult<StaffState>> {
    const command: EraseCommand = { type: 'ErasePersonalData', data: { staffId } };
    const erase = () => this.commands.execute(new ExecuteStaffCommand(staffId, command, request));
    const stream = staffStream(staffId);
    const { state, events, revision } = await loadAggregate(this.runner.store, stream, staffDecider);
    if (state.status === 'unregistered' || state.personalDataErased) return this.destroyKey(staffId, erase);
    const { expectedRevision } = request;
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw new RevisionMismatchError(stream, expectedRevision, revision);
    const base = this.runner.context(request);
    staffDecider.decide(command, state, base);
    const personal = await unsealPersonalData(this.vault, staffId, registeredPersonalData(events));
    if (!personal) return this.destroyKey(staffId, erase);

    const { jurisdiction } = state;
    await this.reservations.free(jurisdiction, personal.employeeRef, staffId, request);
    return this.destroyKey(staffId, async () => {
      try {
        return await erase();
      } catch (error) {
        await this.reservations.restore(jurisdiction, personal.employeeRef, staffId, request);
        throw error;
      }
    });
  }

  /** Records the erasure, then destroys the data key: a refused erasure destroys nothing. */
  private async destroyKey(
    staffId: string,
    record: () => Promise<CommandResult<StaffState>>,
  ): Promise<CommandResult<StaffState>> {
    const result = await record();
    await this.vault.erase(staffId);
    return result;
  }
}
