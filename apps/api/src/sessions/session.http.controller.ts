import { randomIds, type Actor } from '@cadre/kernel';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  actsIn,
  assertActsIn,
  isJointSession,
  sessionDecider,
  sessionStream,
  type SessionCommand,
} from '@cadre/domain';

import { CurrentActor, Roles, Problems } from '@cadre/platform';
import { CommandRunner, ExecuteSessionCommand } from '@cadre/command-handling/nest';
import { recordReader, withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { ReadRoute, RECORD_READERS } from '../shared/read-route.js';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply, CommandReplyDto } from '../shared/command-reply.js';
import { RebuiltFrom } from '../shared/command-reply.interceptor.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  CancelSessionRequestDto,
  CloseSessionRequestDto,
  ReplaceSessionTrainerRequestDto,
  ScheduleSessionRequestDto,
} from './session.request.dto.js';
import { aggregate, bool } from '../shared/response.schemas.js';

const sessionCommand = commandsOf<SessionCommand>();

/** The refusal of every command that records what a session delivers, when a trainer no longer qualifies. */
export const TrainerNotQualifiedResponse = ApiResponse({
  status: 422,
  description:
    'SESSION.TRAINER_NOT_QUALIFIED: a trainer of the session does not hold a valid trainer-level certification of what it teaches on every session day (revoked, suspended, expired) or left the service before it ended. Members `trainerId`, `competency` (null for a departure), `held`, `leftAt` name the first; `trainers` lists them all. Nothing is written: replace the trainer (POST /v1/sessions/{id}/trainers) to go on.',
});

export const sessionNotFound = () => new ResourceNotFoundError('SESSION.NOT_FOUND', 'This training session');
/** An id that is not a UUID names no session: 404, like any unknown id. */
export const SessionId = new ParseUUIDPipe({ exceptionFactory: sessionNotFound });
const readSession = recordReader(sessionStream, sessionDecider, sessionNotFound);

/**
 * Training sessions: scheduled by a coordinator with accredited trainers, closed once held (the
 * award process then certifies those who passed) or cancelled.
 */
@ApiController({ tag: 'sessions', path: 'v1/sessions' })
export class SessionHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Schedule a session of a programme (201, its id is chosen by the server)',
    description:
      'Refused with 422 SESSION.TRAINER_NOT_ACCREDITED unless every trainer holds a valid trainer-level certification of each competency taught, from start to end.',
  })
  @Problems({
    400: ['SESSION.INVALID_DATES'],
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    404: ['PROGRAMME.NOT_FOUND'],
    422: ['SESSION.TRAINER_NOT_ACCREDITED'],
  })
  @RebuiltFrom('session')
  async schedule(
    @Body() body: ScheduleSessionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const sessionId = randomIds();
    const { programmeId, startsAt, endsAt, location, capacity } = body;
    const data = {
      sessionId,
      programmeId,
      startsAt,
      endsAt,
      location,
      capacity,
      jurisdictions: [...body.jurisdictions],
      agencies: [...body.agencies],
      trainers: [...body.trainers],
    };
    return sendSession(this.commands, sessionCommand('ScheduleSession', data, body), request);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Close a session once started: read-only from then on, save voiding' })
  @TrainerNotQualifiedResponse
  @Problems({
    404: ['SESSION.NOT_FOUND'],
    409: ['SESSION.CLOSED'],
    422: ['SESSION.NOT_STARTED', 'SESSION.TRAINER_NOT_QUALIFIED'],
  })
  close(
    @Param('id', SessionId) sessionId: string,
    @Body() body: CloseSessionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return sendSession(this.commands, sessionCommand('CloseSession', { sessionId }, body), request);
  }

  @Post(':id/trainers')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Replace a trainer of a scheduled session (SessionTrainerReplaced)',
    description:
      'The replacement is judged as a scheduled trainer is: a valid trainer-level certification of each competency taught on every session day, not departed by its end, not a participant. From then on the session records again if every trainer qualifies. `reason` (optional) is kept on the event.',
  })
  @ApiResponse({
    status: 200,
    description: 'Replaced: `{ id, revision, position }`, ETag = the revision',
    type: CommandReplyDto,
  })
  @ApiResponse({
    status: 422,
    description:
      'SESSION.TRAINER_NOT_ACCREDITED (the replacement does not qualify; `trainers` says why), SESSION.NOT_A_TRAINER (`replace` does not train this session), SESSION.TRAINER_IS_PARTICIPANT',
  })
  @ApiResponse({
    status: 409,
    description: 'SESSION.ALREADY_A_TRAINER, SESSION.CLOSED, SESSION.CANCELLED',
  })
  @Problems({
    422: ['SESSION.NOT_A_TRAINER', 'SESSION.TRAINER_IS_PARTICIPANT', 'SESSION.TRAINER_NOT_ACCREDITED'],
  })
  @Problems({ 404: ['SESSION.NOT_FOUND'] })
  replaceTrainer(
    @Param('id', SessionId) sessionId: string,
    @Body() body: ReplaceSessionTrainerRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { sessionId, replace: body.replace, with: body.with, reason: body.reason };
    return sendSession(this.commands, sessionCommand('ReplaceSessionTrainer', data, body), request);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Cancel a session; `reason` is required' })
  @Problems({ 400: ['COMMAND.FIELD_REQUIRED'], 409: ['SESSION.CLOSED'] })
  @Problems({ 404: ['SESSION.NOT_FOUND'] })
  cancel(
    @Param('id', SessionId) sessionId: string,
    @Body() body: CancelSessionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { sessionId, reason: body.reason ?? '' };
    return sendSession(this.commands, sessionCommand('CancelSession', data, body), request);
  }

  @ReadRoute({
    path: ':id',
    roles: RECORD_READERS,
    summary: 'A session as it stands, with the derived `joint` flag and ETag = its revision',
    ok: aggregate('A session as it stands', {
      joint: bool('Trains staff of more than one jurisdiction or agency'),
    }),
    problems: { 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['SESSION.NOT_FOUND'] },
  })
  async get(
    @Param('id', SessionId) sessionId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { state, revision } = await readSession(this.runner.store, sessionId);
    if (!state.jurisdictions.some((code) => actsIn(actor, code))) assertActsIn(actor, state.jurisdictions);
    return withRevision(reply, revision, { ...state, joint: isJointSession(state) });
  }
}

/** Sends a session command through the bus and shapes the reply (the id is the session's). */
export async function sendSession(
  commands: CommandBus,
  command: ExecuteSessionCommand['command'],
  request: CommandRequest,
): Promise<CommandReply> {
  const result = await commands.execute(new ExecuteSessionCommand(command, request));
  return CommandReply.of(command.data.sessionId, result);
}
