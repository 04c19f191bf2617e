import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { jurisdictionDecider, jurisdictionStream, type JurisdictionCommand } from '@cadre/domain';
import { loadAggregate } from '@cadre/event-store';
import { Roles } from '@cadre/platform';
import { withRevision } from '../shared/aggregate-reply.js';
import { commandMetadata } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { CommandRunner } from '../shared/command-runner.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import { ExecuteJurisdictionCommand } from './jurisdiction.command-handler.js';
import {
  AddJurisdictionRequirementRequestDto,
  AdoptFrameworkRequestDto,
} from './jurisdiction.request.dto.js';

/**
 * A jurisdiction adopts a published regional framework version from a date, and may add
 * requirements on top of it (never remove one). Acts of that jurisdiction's coordinators.
 */
@ApiTags('jurisdictions')
@ApiBearerAuth()
@Controller('v1/jurisdictions')
export class JurisdictionHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post(':code/framework-adoptions')
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Adopt a published framework version from a date (Kosovo*: XK)' })
  adopt(
    @Param('code') code: string,
    @Body() body: AdoptFrameworkRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      code,
      {
        type: 'AdoptFramework',
        data: { jurisdiction: code, version: body.version, effectiveFrom: body.effectiveFrom },
        metadata: commandMetadata(body),
      },
      request,
    );
  }

  @Post(':code/requirements')
  @Roles('training-coordinator', 'admin')
  @ApiOperation({ summary: 'Add a requirement on top of the regional baseline (never lower one)' })
  addRequirement(
    @Param('code') code: string,
    @Body() body: AddJurisdictionRequirementRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(
      code,
      {
        type: 'AddJurisdictionRequirement',
        data: {
          jurisdiction: code,
          role: body.role,
          competency: body.competency,
          minLevel: body.minLevel,
          effectiveFrom: body.effectiveFrom,
        },
        metadata: commandMetadata(body),
      },
      request,
    );
  }

  @Get(':code')
  @Roles('training-coordinator', 'manager', 'auditor', 'admin')
  @ApiOperation({ summary: "A jurisdiction's adoptions and additions, with ETag = its revision" })
  async get(@Param('code') code: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const { state, revision } = await loadAggregate(
      this.runner.store,
      jurisdictionStream(code),
      jurisdictionDecider,
    );
    if (state.status === 'none')
      throw new ResourceNotFoundError(
        'JURISDICTION.NOT_FOUND',
        `Jurisdiction ${code} (no adoption recorded)`,
      );
    return withRevision(reply, revision, state);
  }

  private async send(
    code: string,
    command: JurisdictionCommand,
    request: CommandRequest,
  ): Promise<CommandReply> {
    const result = await this.commands.execute(new ExecuteJurisdictionCommand(command, request));
    // The first adoption creates the jurisdiction's stream: 201 then, 200 afterwards.
    return CommandReply.of(code, result);
  }
}
