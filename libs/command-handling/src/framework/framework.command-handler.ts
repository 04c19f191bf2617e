import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { frameworkDecider, frameworkStream, type FrameworkCommand, type FrameworkState } from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';

/** A framework command on its way to the decider (the @nestjs/cqrs message). */
export class ExecuteFrameworkCommand extends Command<CommandResult<FrameworkState>> {
  constructor(
    readonly command: FrameworkCommand,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

@CommandHandler(ExecuteFrameworkCommand)
export class FrameworkCommandHandler implements ICommandHandler<ExecuteFrameworkCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ command, request }: ExecuteFrameworkCommand): Promise<CommandResult<FrameworkState>> {
    return this.runner.run(
      { stream: frameworkStream(command.data.version), decider: frameworkDecider, command },
      request,
    );
  }
}
