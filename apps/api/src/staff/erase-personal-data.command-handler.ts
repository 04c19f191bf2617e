import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { StaffState } from '@cadre/domain';
import type { CommandResult } from '@cadre/event-store';
import { PersonalDataVault } from '@cadre/personal-data';
import type { CommandRequest } from '../shared/command-request.js';
import { ExecuteStaffCommand } from './staff.command-handler.js';

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
 * Records `StaffPersonalDataErased` through the decider first (refusals — unknown member, other
 * jurisdiction — destroy nothing), then destroys the data key. Asked again, the decider records
 * nothing and the key is destroyed again (idempotent): a crash between the two steps is finished
 * by a retry, and in any case by the re-application of recorded erasures at every start.
 */
@CommandHandler(ErasePersonalData)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalData> {
  constructor(
    private readonly commands: CommandBus,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ staffId, request }: ErasePersonalData): Promise<CommandResult<StaffState>> {
    const result = await this.commands.execute(
      new ExecuteStaffCommand(staffId, { type: 'ErasePersonalData', data: { staffId } }, request),
    );
    await this.vault.erase(staffId);
    return result;
  }
}
