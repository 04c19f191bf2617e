import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  isManagerOf,
  staffErrors,
  teamDecider,
  teamStream,
  type DecisionContext,
  type TeamCommand,
  type TeamContext,
  type TeamState,
} from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';

/** A team command on its way to the decider (the @nestjs/cqrs message). */
export class ExecuteTeamCommand extends Command<CommandResult<TeamState>> {
  constructor(
    readonly command: TeamCommand,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

@CommandHandler(ExecuteTeamCommand)
export class TeamCommandHandler implements ICommandHandler<ExecuteTeamCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  execute({ command, request }: ExecuteTeamCommand): Promise<CommandResult<TeamState>> {
    return this.runner.run(
      {
        stream: teamStream(command.data.teamId),
        decider: teamDecider,
        command,
        context: (state, base) => this.context(command, state, base),
      },
      request,
    );
  }

  /**
   * What the decider needs besides the team's stream, read afresh on every attempt (a retry after
   * a concurrent write decides again on what is current): the jurisdiction's rules for a
   * formation; the member's stream and the rules for an assignment or an override's approval;
   * every member's stream and the rules to declare the team operational (readiness by the
   * clock). Nothing is read when the decider will refuse anyway (no such team, dissolved, not a
   * manager, unknown override).
   */
  private async context(command: TeamCommand, state: TeamState, base: DecisionContext): Promise<TeamContext> {
    if (command.type === 'FormTeam') {
      if (state.status !== 'none' || !isManagerOf(base.actor, command.data.jurisdiction)) return base;
      return { ...base, rules: await this.reference.jurisdictionRules(command.data.jurisdiction) };
    }
    if (state.status === 'none' || state.status === 'dissolved') return base;
    if (!isManagerOf(base.actor, state.jurisdiction)) return base;
    if (command.type === 'DeclareTeamOperational') {
      const [rules, members] = await Promise.all([
        this.reference.jurisdictionRules(state.jurisdiction),
        this.reference.staffSnapshots(Object.keys(state.members)),
      ]);
      return { ...base, rules, members };
    }
    const staffId = memberConcerned(command, state);
    if (staffId === undefined) return base;
    const [candidate, rules] = await Promise.all([
      this.reference.staffSnapshot(staffId),
      this.reference.jurisdictionRules(state.jurisdiction),
    ]);
    if (!candidate) throw staffErrors.notFound(staffId);
    return { ...base, candidate, rules };
  }
}

function memberConcerned(command: TeamCommand, state: TeamState): string | undefined {
  switch (command.type) {
    case 'AssignMember':
      return command.data.staffId;
    case 'ApproveAssignmentOverride':
      return state.status === 'none' ? undefined : state.overrides[command.data.overrideId]?.staffId;
    default:
      return undefined;
  }
}
