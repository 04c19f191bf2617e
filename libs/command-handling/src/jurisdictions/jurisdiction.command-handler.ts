import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  adoptedVersionAt,
  jurisdictionDecider,
  jurisdictionStream,
  type CoordinatorJurisdictionCommand,
  type JurisdictionContext,
  type JurisdictionState,
} from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';

export class ExecuteJurisdictionCommand extends Command<CommandResult<JurisdictionState>> {
  constructor(
    readonly command: CoordinatorJurisdictionCommand,
    readonly request: CommandRequest,
    /** Decide and answer the state after it, writing nothing (`dryRun: true`). */
    readonly dryRun = false,
  ) {
    super();
  }
}

/**
 * Adoptions and additional requirements of one jurisdiction. The decision needs the framework
 * version concerned: the one adopted (AdoptFramework, with the one in force before it), or the one
 * in force at the addition's date.
 */
@CommandHandler(ExecuteJurisdictionCommand)
export class JurisdictionCommandHandler implements ICommandHandler<ExecuteJurisdictionCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  execute({
    command,
    request,
    dryRun,
  }: ExecuteJurisdictionCommand): Promise<CommandResult<JurisdictionState>> {
    return this.runner.run(
      {
        stream: jurisdictionStream(command.data.jurisdiction),
        decider: jurisdictionDecider,
        command,
        context: async (state, base): Promise<JurisdictionContext> => {
          if (command.type === 'AdoptFramework') {
            // The version in force at the new effectiveFrom is the latest adopted (adoptions only
            // move forward): read it when it is another one, to tell whether the new one is older.
            const latest = state.status === 'active' ? state.adoptions.at(-1)?.version : undefined;
            const [framework, inForce] = await Promise.all([
              this.reference.framework(command.data.version),
              latest && latest !== command.data.version ? this.reference.framework(latest) : undefined,
            ]);
            return { ...base, framework, inForce };
          }
          const version =
            state.status === 'active'
              ? adoptedVersionAt(
                  state,
                  command.data.effectiveFrom ?? command.metadata?.occurredAt ?? base.now,
                )
              : undefined;
          return { ...base, framework: version ? await this.reference.framework(version) : undefined };
        },
      },
      request,
      { dryRun },
    );
  }
}
