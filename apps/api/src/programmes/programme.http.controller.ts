import { randomIds } from '@cadre/kernel';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  programmeDecider,
  programmeStream,
  type GrantedCompetency,
  type ProgrammeCommand,
} from '@cadre/domain';
import { loadAggregate } from '@cadre/command-handling';
import { Roles, Problems } from '@cadre/platform';
import { CommandRunner, ExecuteProgrammeCommand } from '@cadre/command-handling/nest';
import { withRevision } from '../shared/aggregate-reply.js';
import { commandMetadata } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  DefineProgrammeRequestDto,
  GrantedCompetencyDto,
  ReviseProgrammeRequestDto,
  RetireProgrammeRequestDto,
} from './programme.request.dto.js';
import { aggregate } from '../shared/response.schemas.js';

const notFound = () => new ResourceNotFoundError('PROGRAMME.NOT_FOUND', 'This training programme');
/** An id that is not a UUID names no programme: 404, like any unknown id. */
const ProgrammeId = new ParseUUIDPipe({ exceptionFactory: notFound });

/** Training programmes: what a session teaches and the competencies it grants to those who pass. */
@ApiTags('programmes')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammeHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Define a training programme (201, its id is chosen by the server)' })
  @Problems({
    400: ['COMMAND.BACKDATED_WITHOUT_REASON', 'COMMAND.OCCURRED_IN_FUTURE', 'PROGRAMME.DUPLICATE_COMPETENCY'],
  })
  define(@Body() body: DefineProgrammeRequestDto, @Command() request: CommandRequest): Promise<CommandReply> {
    const { title, kind, hours, methodology } = body;
    const programmeId = randomIds();
    return this.send(
      {
        type: 'DefineProgramme',
        data: { programmeId, title, competencies: granted(body.competencies), kind, hours, methodology },
        metadata: commandMetadata(body),
      },
      request,
    );
  }

  @Post(':id/revise')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Revise a programme: fields left out keep their value' })
  @Problems({ 409: ['PROGRAMME.RETIRED'] })
  revise(
    @Param('id', ProgrammeId) programmeId: string,
    @Body() body: ReviseProgrammeRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { title, kind, hours, methodology } = body;
    const competencies = body.competencies && granted(body.competencies);
    const changes = definedOnly({ title, kind, hours, methodology, competencies });
    return this.send(
      { type: 'ReviseProgramme', data: { programmeId, ...changes }, metadata: commandMetadata(body) },
      request,
    );
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Retire a programme: it can no longer be scheduled' })
  @Problems({ 404: ['PROGRAMME.NOT_FOUND'] })
  retire(
    @Param('id', ProgrammeId) programmeId: string,
    @Body() body: RetireProgrammeRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      {
        type: 'RetireProgramme',
        data: { programmeId, reason: body.reason },
        metadata: commandMetadata(body),
      },
      request,
    );
  }

  @Get(':id')
  @Roles('training-coordinator', 'manager', 'auditor', 'admin')
  @ApiOperation({ summary: 'A programme as it stands, with ETag = its revision' })
  @ApiOkResponse({ description: 'The answer', schema: aggregate('A programme as it stands') })
  @Problems({ 404: ['PROGRAMME.NOT_FOUND'] })
  async get(
    @Param('id', ProgrammeId) programmeId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { state, revision } = await loadAggregate(
      this.runner.store,
      programmeStream(programmeId),
      programmeDecider,
    );
    if (state.status === 'none') throw notFound();
    return withRevision(reply, revision, state);
  }

  private async send(command: ProgrammeCommand, request: CommandRequest): Promise<CommandReply> {
    const result = await this.commands.execute(new ExecuteProgrammeCommand(command, request));
    return CommandReply.of(command.data.programmeId, result);
  }
}

/** Validated DTO instances as plain event data. */
function granted(competencies: readonly GrantedCompetencyDto[]): GrantedCompetency[] {
  return competencies.map(({ competency, level }) => ({ competency, level }));
}

/** A revision changes only what the caller sent. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
