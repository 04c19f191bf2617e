import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { frameworkDecider, type FrameworkCommand } from '@cadre/domain';
import { Roles, Problems } from '@cadre/platform';
import { CommandRunner, ExecuteFrameworkCommand } from '@cadre/command-handling/nest';
import { recordReader, withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { ReadRoute, RECORD_READERS } from '../shared/read-route.js';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import { frameworkStream } from '@cadre/domain';
import {
  DefineCompetencyRequestDto,
  DefineRequirementRequestDto,
  DefineRoleRequestDto,
  DraftFrameworkRequestDto,
  PublishFrameworkRequestDto,
  RetireFrameworkRequestDto,
} from './framework.request.dto.js';
import { aggregate } from '../shared/response.schemas.js';

const frameworkCommand = commandsOf<FrameworkCommand>();

const readFramework = recordReader(
  frameworkStream,
  frameworkDecider,
  (version) => new ResourceNotFoundError('FRAMEWORK.NOT_FOUND', `Framework version ${version}`),
);

/**
 * The regional training framework matrix: drafted, filled and published by a regional
 * (`*`) training coordinator; immutable once published.
 */
@ApiController({ tag: 'framework', path: 'v1/frameworks' })
export class FrameworkHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Draft a framework version' })
  @Problems({ 403: ['ACTOR.REGIONAL_ONLY'] })
  @Problems({ 400: ['FRAMEWORK.INVALID_CODE'], 409: ['FRAMEWORK.ALREADY_DRAFTED'] })
  draft(@Body() body: DraftFrameworkRequestDto, @Command() request: CommandRequest): Promise<CommandReply> {
    return this.send(
      body.version,
      frameworkCommand('DraftFrameworkVersion', { version: body.version, title: body.title }, body),
      request,
    );
  }

  @Post(':version/roles')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Define a role in a draft version' })
  @Problems({
    400: ['FRAMEWORK.INVALID_CODE'],
    404: ['FRAMEWORK.NOT_FOUND'],
    409: ['FRAMEWORK.PUBLISHED_IMMUTABLE', 'FRAMEWORK.ROLE_ALREADY_DEFINED'],
  })
  defineRole(
    @Param('version') version: string,
    @Body() body: DefineRoleRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      version,
      frameworkCommand('DefineRole', { version, role: body.role, title: body.title }, body),
      request,
    );
  }

  @Post(':version/competencies')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Define a competency, with validity and recertification window per level' })
  @Problems({
    400: ['FRAMEWORK.INVALID_CODE', 'FRAMEWORK.INVALID_LEVELS'],
    404: ['FRAMEWORK.NOT_FOUND'],
    409: ['FRAMEWORK.PUBLISHED_IMMUTABLE', 'FRAMEWORK.COMPETENCY_ALREADY_DEFINED'],
  })
  defineCompetency(
    @Param('version') version: string,
    @Body() body: DefineCompetencyRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const levels = JSON.parse(JSON.stringify(body.levels)) as DefineCompetencyRequestDto['levels'];
    return this.send(
      version,
      frameworkCommand(
        'DefineCompetency',
        { version, competency: body.competency, title: body.title, levels },
        body,
      ),
      request,
    );
  }

  @Post(':version/requirements')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Require a competency at a minimum level for a role' })
  @Problems({
    400: ['FRAMEWORK.INVALID_LEVELS'],
    404: ['FRAMEWORK.NOT_FOUND'],
    409: ['FRAMEWORK.PUBLISHED_IMMUTABLE', 'FRAMEWORK.REQUIREMENT_ALREADY_DEFINED'],
    422: ['FRAMEWORK.UNKNOWN_COMPETENCY', 'FRAMEWORK.UNKNOWN_ROLE', 'FRAMEWORK.LEVEL_NOT_DEFINED'],
  })
  defineRequirement(
    @Param('version') version: string,
    @Body() body: DefineRequirementRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      version,
      frameworkCommand(
        'DefineRoleRequirement',
        { version, role: body.role, competency: body.competency, minLevel: body.minLevel },
        body,
      ),
      request,
    );
  }

  @Post(':version/publish')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Publish a version: immutable from then on' })
  @Problems({
    404: ['FRAMEWORK.NOT_FOUND'],
    409: ['FRAMEWORK.PUBLISHED_IMMUTABLE'],
    422: ['FRAMEWORK.INCOMPLETE'],
  })
  publish(
    @Param('version') version: string,
    @Body() body: PublishFrameworkRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(version, frameworkCommand('PublishFrameworkVersion', { version }, body), request);
  }

  @Post(':version/retire')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Retire a published version' })
  @Problems({ 404: ['FRAMEWORK.NOT_FOUND'], 409: ['FRAMEWORK.NOT_PUBLISHED', 'FRAMEWORK.RETIRED'] })
  retire(
    @Param('version') version: string,
    @Body() body: RetireFrameworkRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      version,
      frameworkCommand('RetireFrameworkVersion', { version, reason: body.reason }, body),
      request,
    );
  }

  @ReadRoute({
    path: ':version',
    roles: RECORD_READERS,
    summary: 'A framework version as it stands, with ETag = its revision',
    ok: aggregate('A framework version: its roles, competencies, requirements and status'),
    problems: { 404: ['FRAMEWORK.NOT_FOUND'] },
  })
  async get(
    @Param('version') version: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const found = await readFramework(this.runner.store, version);
    return withRevision(reply, found.revision, found.state);
  }

  private async send(
    version: string,
    command: FrameworkCommand,
    request: CommandRequest,
  ): Promise<CommandReply> {
    const result = await this.commands.execute(new ExecuteFrameworkCommand(command, request));
    return CommandReply.of(version, result);
  }
}
