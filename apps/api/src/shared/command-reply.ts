import { ApiProperty } from '@nestjs/swagger';
import type { CommandResult } from '@cadre/command-handling';

/** The body of every command response. */
export interface CommandReplyBody {
  readonly id: string;
  readonly revision: number;
  /** The global position written (opaque): pass it as `minPosition` to read your own write. */
  readonly position: string | null;
}

/** {@link CommandReplyBody} for the OpenAPI document. */
export class CommandReplyDto implements CommandReplyBody {
  @ApiProperty({ description: 'The id of the record the command concerns' })
  readonly id!: string;

  @ApiProperty({
    type: 'integer',
    minimum: -1,
    description: 'Its revision after the command (also the `ETag`)',
  })
  readonly revision!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The global position written (opaque): pass it as `minPosition` to read your own write',
  })
  readonly position!: string | null;
}

/** The reply of an assignment that awaits a second manager (202). */
export class PendingOverrideReplyDto extends CommandReplyDto {
  @ApiProperty({
    description: 'The override to approve or reject (POST /v1/teams/{id}/overrides/{overrideId}/…)',
  })
  readonly overrideId!: string;
}

/**
 * What a command controller returns: the status (201 created, 200 otherwise, 202 pending) and the
 * body. The command-reply interceptor renders it, sets `ETag`, and records it for `Idempotency-Key`.
 */
export class CommandReply {
  constructor(
    readonly status: 200 | 201 | 202,
    readonly body: CommandReplyBody,
  ) {}

  static of(
    id: string,
    result: Pick<CommandResult<unknown>, 'revision' | 'position' | 'created'>,
    status?: 200 | 201 | 202,
  ): CommandReply {
    return new CommandReply(status ?? (result.created ? 201 : 200), {
      id,
      revision: result.revision,
      position: result.position,
    });
  }
}
