import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CadreError } from '@cadre/kernel';
import {
  DomainNotFoundError,
  DomainRuleError,
  sessionDecider,
  staffDecider,
  type CommandMetadata,
  type VoidRecord,
} from '@cadre/domain';
import { streamCategory, type EventLocation } from '@cadre/event-store';
import type { CommandResult } from '../handle-command.js';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';

/** Voids a recorded attendance, assessment, certification award or renewal, by its event id. */
export class VoidRecordById extends Command<CommandResult<unknown>> {
  constructor(
    readonly eventId: string,
    readonly reason: string,
    readonly metadata: CommandMetadata | undefined,
    readonly request: CommandRequest,
  ) {
    super();
  }
}

class EventLookupUnavailableError extends CadreError {
  readonly category = 'unavailable' as const;
  constructor() {
    super('RECORD.LOOKUP_UNAVAILABLE', 'This event store cannot find a record by its event id.');
  }
}

/**
 * `RecordVoided` is appended to the stream of the record it voids, by that stream's decider: the
 * handler finds the stream (`locateEvent`), then dispatches by its category. The decider decides
 * whether the record may be voided (jurisdiction, already voided, a record type it can void).
 */
@CommandHandler(VoidRecordById)
export class VoidRecordHandler implements ICommandHandler<VoidRecordById> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ eventId, reason, metadata, request }: VoidRecordById): Promise<CommandResult<unknown>> {
    const store = this.runner.store;
    if (!store.locateEvent) throw new EventLookupUnavailableError();
    const location = await store.locateEvent(eventId);
    if (!location) {
      throw new DomainNotFoundError('RECORD.NOT_FOUND', 'No event with this id has been recorded.', {
        targetEventId: eventId,
      });
    }
    const command: VoidRecord = { type: 'VoidRecord', data: { targetEventId: eventId, reason }, metadata };
    try {
      return await this.send(location, command, request);
    } catch (error) {
      // The event is in that stream, yet its decider lists no such voidable record: not voidable.
      if (error instanceof CadreError && error.code === 'RECORD.NOT_FOUND') {
        throw await this.notVoidable(location, eventId);
      }
      throw error;
    }
  }

  private send(location: EventLocation, command: VoidRecord, request: CommandRequest) {
    const { stream } = location;
    switch (streamCategory(stream)) {
      case 'staff':
        return this.runner.run({ stream, decider: staffDecider, command }, request);
      case 'session':
        return this.runner.run({ stream, decider: sessionDecider, command }, request);
      default:
        return this.notVoidable(location, command.data.targetEventId).then((error) => {
          throw error;
        });
    }
  }

  private async notVoidable({ stream, revision }: EventLocation, eventId: string): Promise<DomainRuleError> {
    const [event] = await this.runner.store.readStream(stream, { fromRevision: revision, maxCount: 1 });
    const targetType = event?.type ?? 'unknown';
    return new DomainRuleError(
      'RECORD.NOT_VOIDABLE',
      `A ${targetType} record cannot be voided; only attendance, assessments, certification awards and renewals can.`,
      { targetEventId: eventId, targetType },
    );
  }
}
