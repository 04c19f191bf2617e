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
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { ReferenceData } from '../nest/reference-data.js';

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
   * trainers to schedule; the session's trainers for every command that records what it delivers
   * (they are judged again each time), and the participant's stream to enrol; the replacement
   * trainer. Nothing is read when the session already refuses the command (unknown, closed,
   * cancelled).
   */
  private async context(
    command: SessionCommand,
    state: SessionState,
    base: DecisionContext,
  ): Promise<SessionContext> {
    switch (command.type) {
      case 'ScheduleSession': {
        const [programme, trainers] = await Promise.all([
          this.reference.programme(command.data.programmeId),
          this.reference.trainerRecords(command.data.trainers),
        ]);
        return { ...base, programme, trainers };
      }
      case 'EnrolParticipant': {
        if (state.status !== 'scheduled') return base;
        const [participant, trainers] = await Promise.all([
          this.reference.staffSnapshot(command.data.staffId),
          this.reference.trainerRecords(state.trainers),
        ]);
        if (!participant) throw staffErrors.notFound(command.data.staffId);
        return { ...base, participant, trainers };
      }
      case 'RecordAttendance':
      case 'RecordAssessment':
      case 'CloseSession':
        if (state.status !== 'scheduled') return base;
        return { ...base, trainers: await this.reference.trainerRecords(state.trainers) };
      case 'ReplaceSessionTrainer':
        if (state.status !== 'scheduled') return base;
        return { ...base, trainers: await this.reference.trainerRecords([command.data.with]) };
      default:
        return base;
    }
  }
}
