import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  lapseAcknowledgementDecider,
  lapseStream,
  teamStream,
  type AcknowledgeLapse,
  type LapseAcknowledgementContext,
  type LapseAcknowledgementState,
} from '@cadre/domain';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { INBOX_EVENTS, lapseRow, LapseInboxReadQuery } from '@cadre/read-models';

export class AcknowledgeLapseCommand extends Command<CommandResult<LapseAcknowledgementState>> {
  constructor(
    readonly command: AcknowledgeLapse,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

/**
 * Appends LapseAcknowledged to `lapse-<id>` through the one load-decide-append path. The lapse
 * itself is read from its team's stream (the source of truth); the inbox only says which team.
 */
@CommandHandler(AcknowledgeLapseCommand)
export class AcknowledgeLapseHandler implements ICommandHandler<AcknowledgeLapseCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly inbox: LapseInboxReadQuery,
  ) {}

  execute({ command, request }: AcknowledgeLapseCommand): Promise<CommandResult<LapseAcknowledgementState>> {
    return this.runner.run(
      {
        stream: lapseStream(command.data.lapseId),
        decider: lapseAcknowledgementDecider,
        command,
        context: async (_state, base): Promise<LapseAcknowledgementContext> => ({
          ...base,
          lapse: await this.lapse(command.data.lapseId),
        }),
      },
      request,
    );
  }

  private async lapse(lapseId: string): Promise<LapseAcknowledgementContext['lapse']> {
    const teamId = await this.inbox.teamOf(lapseId);
    if (!teamId) return null;
    const events = await this.runner.store.readStream(teamStream(teamId));
    const lapsed = events.find((e) => e.eventId === lapseId && INBOX_EVENTS.includes(e.type));
    const formed = events.find((e) => e.type === 'TeamFormed');
    if (!lapsed || !formed) return null;
    const row = lapseRow(lapsed);
    return {
      teamId,
      jurisdiction: (formed.data as { jurisdiction: string }).jurisdiction,
      staffId: row.staffId,
      certificationId: row.certificationId,
    };
  }
}
