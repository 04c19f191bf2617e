import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertActsIn,
  staffStream,
  type DecisionContext,
  type Instant,
  type StaffContext,
  type StaffState,
  staffDecider,
  type StaffCommand,
} from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';

/** A staff command on its way to the decider (the @nestjs/cqrs message). */
export class ExecuteStaffCommand extends Command<CommandResult<StaffState>> {
  constructor(
    readonly staffId: string,
    readonly command: StaffCommand,
    readonly request: CommandRequest,
    /** False for a command that creates the stream: `If-Match` names no revision of it. */
    readonly honourIfMatch = true,
  ) {
    super();
  }
}

@CommandHandler(ExecuteStaffCommand)
export class StaffCommandHandler implements ICommandHandler<ExecuteStaffCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  execute({
    staffId,
    command,
    request,
    honourIfMatch,
  }: ExecuteStaffCommand): Promise<CommandResult<StaffState>> {
    return this.runner.run(
      {
        stream: staffStream(staffId),
        decider: staffDecider,
        command,
        context: staffContext(this.reference, command),
      },
      request,
      { honourIfMatch },
    );
  }
}

/**
 * What the staff decider needs besides the stream: the framework the member's jurisdiction had
 * adopted — at now for a registration or a role change (the role must exist), at `validFrom` for
 * an award (its level gives the validity). Read on every attempt, after the jurisdiction check,
 * so that a caller outside the jurisdiction learns nothing of its framework.
 */
export function staffContext(reference: ReferenceData, command: StaffCommand) {
  return async (state: StaffState, base: DecisionContext): Promise<StaffContext> => {
    const at = frameworkDate(command, base.now);
    const jurisdiction =
      command.type === 'RegisterStaffMember'
        ? command.data.jurisdiction
        : state.status === 'unregistered'
          ? undefined
          : state.jurisdiction;
    // No date: the command needs no framework. No jurisdiction: the decider refuses (not found).
    if (at === undefined || jurisdiction === undefined) return base;
    assertActsIn(base.actor, [jurisdiction]);
    return { ...base, framework: await reference.frameworkInForce(jurisdiction, at) };
  };
}

function frameworkDate(command: StaffCommand, now: Instant): Instant | undefined {
  switch (command.type) {
    case 'RegisterStaffMember':
    case 'ChangeStaffRole':
      return now;
    case 'AwardCertification':
    case 'RenewCertification':
      return command.data.validFrom;
    default:
      return undefined;
  }
}
