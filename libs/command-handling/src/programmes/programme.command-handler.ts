import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  programmeDecider,
  programmeStream,
  type DecisionContext,
  type ProgrammeCommand,
  type ProgrammeContext,
  type ProgrammeState,
} from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';

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
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  execute({ command, request }: ExecuteProgrammeCommand): Promise<CommandResult<ProgrammeState>> {
    return this.runner.run(
      {
        stream: programmeStream(command.data.programmeId),
        decider: programmeDecider,
        command,
        context: (_state, base) => this.context(command, base),
      },
      request,
    );
  }

  /**
   * A definition or a revision reads the latest published framework version afresh on every
   * attempt: what it grants is checked against it. Retiring reads nothing.
   */
  private async context(command: ProgrammeCommand, base: DecisionContext): Promise<ProgrammeContext> {
    if (command.type === 'RetireProgramme') return { ...base, framework: null };
    return { ...base, framework: (await this.reference.latestPublishedFramework()) ?? null };
  }
}
