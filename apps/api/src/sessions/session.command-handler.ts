import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  sessionDecider,
  sessionStream,
  staffErrors,
  type DecisionContext,
  type SessionCommand,
  type SessionContext,
  type SessionState,
} from '@cadre/domain';
import type { CommandResult } from '@cadre/event-store';
import type { CommandRequest } from '../shared/command-request.js';
import { CommandRunner } from '../shared/command-runner.js';
import { ReferenceData } from '../shared/reference-data.js';

/** A session command on its way to the decider (the @nestjs/cqrs message). */
export class ExecuteSessionCommand extends Command<CommandResult<SessionState>> {
  constructor(
    readonly command: SessionCommand & { readonly data: { readonly sessionId: string } },
    readonly request: CommandRequest,
  ) {
    super();
  }
}

@CommandHandler(ExecuteSessionCommand)
export class SessionCommandHandler implements ICommandHandler<ExecuteSessionCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  execute({ command, request }: ExecuteSessionCommand): Promise<CommandResult<SessionState>> {
    return this.runner.run(
      {
        stream: sessionStream(command.data.sessionId),
        decider: sessionDecider,
        command,
        context: (state, base) => this.context(command, state, base),
      },
      request,
    );
  }

  /**
   * What the decision reads besides the session, afresh on every attempt: the programme and the
   * trainers' certifications to schedule, the participant's stream to enrol. Nothing is read when
   * the session already refuses the command (unknown, closed, cancelled).
   */
  private async context(
    command: SessionCommand,
    state: SessionState,
    base: DecisionContext,
  ): Promise<SessionContext> {
    switch (command.type) {
      case 'ScheduleSession': {
        const [programme, trainerCertifications] = await Promise.all([
          this.reference.programme(command.data.programmeId),
          this.reference.certificationsOf(command.data.trainers),
        ]);
        return { ...base, programme, trainerCertifications };
      }
      case 'EnrolParticipant': {
        if (state.status !== 'scheduled') return base;
        const participant = await this.reference.staffSnapshot(command.data.staffId);
        if (!participant) throw staffErrors.notFound(command.data.staffId);
        return { ...base, participant };
      }
      default:
        return base;
    }
  }
}
