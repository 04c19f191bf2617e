import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { programmeDecider, programmeStream, type ProgrammeCommand, type ProgrammeState } from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';

/** A programme command on its way to the decider (the @nestjs/cqrs message). */
export class ExecuteProgrammeCommand extends Command<CommandResult<ProgrammeState>> {
  constructor(
    readonly command: ProgrammeCommand,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

@CommandHandler(ExecuteProgrammeCommand)
export class ProgrammeCommandHandler implements ICommandHandler<ExecuteProgrammeCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ command, request }: ExecuteProgrammeCommand): Promise<CommandResult<ProgrammeState>> {
    return this.runner.run(
      { stream: programmeStream(command.data.programmeId), decider: programmeDecider, command },
      request,
    );
  }
}
