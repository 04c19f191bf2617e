import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import { Roles, Problems } from '@cadre/platform';
import { VoidRecordById } from '@cadre/command-handling/nest';
import { commandMetadata } from '../shared/backdatable.request.dto.js';
import { ApiController } from '../shared/api-controller.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { VoidRecordRequestDto } from './void-record.request.dto.js';

/** Corrections: nothing is edited or deleted; a mistaken record is voided, with a reason. */
@ApiController({ tag: 'records', path: 'v1/records' })
export class RecordsHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':eventId/void')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary:
      'Void a recorded attendance, assessment or certification, with a reason (training coordinator or admin)',
    description:
      "Appends RecordVoided to the stream holding the event (read models honour it). Voiding an assessment of a closed session also voids, shortly after (the award process), every certification award or renewal resting on it. The reply's `id` is the voided event's id, its ETag the revision of that stream. 404 RECORD.NOT_FOUND; 422 RECORD.NOT_VOIDABLE; 409 RECORD.ALREADY_VOIDED; 403 ACTOR.OUTSIDE_JURISDICTION; 400 COMMAND.FIELD_REQUIRED without a reason.",
  })
  @Problems({
    400: ['COMMAND.FIELD_REQUIRED'],
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    404: ['RECORD.NOT_FOUND'],
    409: ['RECORD.ALREADY_VOIDED'],
    422: ['RECORD.NOT_VOIDABLE'],
  })
  async void(
    @Param('eventId') eventId: string,
    @Body() body: VoidRecordRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const result = await this.commands.execute(
      new VoidRecordById(eventId, body.reason ?? '', commandMetadata(body), request),
    );
    return CommandReply.of(eventId, result);
  }
}
