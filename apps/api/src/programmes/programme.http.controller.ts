import { randomIds } from '@cadre/kernel';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  programmeDecider,
  programmeStream,
  type GrantedCompetency,
  type ProgrammeCommand,
} from '@cadre/domain';
import { Roles, Problems } from '@cadre/platform';
import { CommandRunner, ExecuteProgrammeCommand } from '@cadre/command-handling/nest';
import { recordReader, withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { ReadRoute, RECORD_READERS } from '../shared/read-route.js';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { RebuiltFrom } from '../shared/command-reply.interceptor.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  DefineProgrammeRequestDto,
  GrantedCompetencyDto,
  ReviseProgrammeRequestDto,
  RetireProgrammeRequestDto,
} from './programme.request.dto.js';
import { aggregate } from '../shared/response.schemas.js';

const programmeCommand = commandsOf<ProgrammeCommand>();

const notFound = () => new ResourceNotFoundError('PROGRAMME.NOT_FOUND', 'This training programme');
const readProgramme = recordReader(programmeStream, programmeDecider, notFound);
/** An id that is not a UUID names no programme: 404, like any unknown id. */
const ProgrammeId = new ParseUUIDPipe({ exceptionFactory: notFound });

/** Training programmes: what a session teaches and the competencies it grants to those who pass. */
@ApiController({ tag: 'programmes', path: 'v1/programmes' })
export class ProgrammeHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Define a training programme (201, its id is chosen by the server)',
    description:
      'It belongs to a scope (`scope`, by default `*` for a regional coordinator, else their jurisdiction): only a coordinator of that scope revises or retires it. It grants only competencies and levels the latest published framework version defines (422 PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK, PROGRAMME.NO_PUBLISHED_FRAMEWORK); the event records that version.',
  })
  @Problems({
    400: [
      'COMMAND.BACKDATED_WITHOUT_REASON',
      'COMMAND.OCCURRED_IN_FUTURE',
      'PROGRAMME.DUPLICATE_COMPETENCY',
      'PROGRAMME.SCOPE_REQUIRED',
    ],
    403: ['PROGRAMME.OUTSIDE_SCOPE'],
    422: ['PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK', 'PROGRAMME.NO_PUBLISHED_FRAMEWORK'],
  })
  @RebuiltFrom('programme')
  define(@Body() body: DefineProgrammeRequestDto, @Command() request: CommandRequest): Promise<CommandReply> {
    const { title, kind, hours, methodology, scope } = body;
    const programmeId = randomIds();
    const content = { title, competencies: granted(body.competencies), kind, hours, methodology };
    return this.send(
      programmeCommand('DefineProgramme', { programmeId, ...content, ...definedOnly({ scope }) }, body),
      request,
    );
  }

  @Post(':id/revise')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Revise a programme: fields left out keep their value',
    description:
      "Only a coordinator of the programme's scope (403 PROGRAMME.OUTSIDE_SCOPE). What it grants, revised or not, is checked against the latest published framework version, which the event records (422).",
  })
  @Problems({
    403: ['PROGRAMME.OUTSIDE_SCOPE'],
    404: ['PROGRAMME.NOT_FOUND'],
    409: ['PROGRAMME.RETIRED'],
    422: ['PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK', 'PROGRAMME.NO_PUBLISHED_FRAMEWORK'],
  })
  revise(
    @Param('id', ProgrammeId) programmeId: string,
    @Body() body: ReviseProgrammeRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { title, kind, hours, methodology } = body;
    const competencies = body.competencies && granted(body.competencies);
    const changes = definedOnly({ title, kind, hours, methodology, competencies });
    return this.send(programmeCommand('ReviseProgramme', { programmeId, ...changes }, body), request);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Retire a programme: it can no longer be scheduled',
    description: "Only a coordinator of the programme's scope (403 PROGRAMME.OUTSIDE_SCOPE).",
  })
  @Problems({ 403: ['PROGRAMME.OUTSIDE_SCOPE'], 404: ['PROGRAMME.NOT_FOUND'], 409: ['PROGRAMME.RETIRED'] })
  retire(
    @Param('id', ProgrammeId) programmeId: string,
    @Body() body: RetireProgrammeRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      programmeCommand('RetireProgramme', { programmeId, reason: body.reason }, body),
      request,
    );
  }

  @ReadRoute({
    path: ':id',
    roles: RECORD_READERS,
    summary: 'A programme as it stands, with ETag = its revision',
    ok: aggregate('A programme as it stands'),
    problems: { 404: ['PROGRAMME.NOT_FOUND'] },
  })
  async get(
    @Param('id', ProgrammeId) programmeId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const found = await readProgramme(this.runner.store, programmeId);
    return withRevision(reply, found.revision, found.state);
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
