import { Body, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  assertActsIn,
  jurisdictionDecider,
  jurisdictionStream,
  type CoordinatorJurisdictionCommand,
} from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import { previewRuleChange, type RuleChangePreview } from '@cadre/processes';
import { CommandRunner, ExecuteJurisdictionCommand } from '@cadre/command-handling/nest';
import { recordReader, withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { ReadRoute, RECORD_READERS } from '../shared/read-route.js';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply, CommandReplyDto } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  AddJurisdictionRequirementRequestDto,
  AdoptFrameworkRequestDto,
} from './jurisdiction.request.dto.js';
import { aggregate } from '../shared/response.schemas.js';

const jurisdictionCommand = commandsOf<CoordinatorJurisdictionCommand>();

/**
 * A jurisdiction adopts a published regional framework version from a date, and may add
 * requirements on top of it (never remove one). Acts of that jurisdiction's coordinators.
 */
const readJurisdiction = recordReader(
  jurisdictionStream,
  jurisdictionDecider,
  (code) =>
    new ResourceNotFoundError('JURISDICTION.NOT_FOUND', `Jurisdiction ${code} (no adoption recorded)`),
);

/** A rule change answers the command reply, or with `dryRun: true` who it would lapse (nothing written). */
const RULE_CHANGE_REPLY = {
  description:
    'Done (`{ id, revision, position }`), or with `dryRun: true` the preview of who it would lapse',
  schema: {
    oneOf: [
      { $ref: getSchemaPath(CommandReplyDto) },
      {
        type: 'object',
        required: ['dryRun', 'jurisdiction', 'effectiveFrom', 'wouldLapse'],
        properties: {
          dryRun: { type: 'boolean', enum: [true] },
          jurisdiction: { type: 'string' },
          effectiveFrom: { type: 'string', format: 'date-time' },
          wouldLapse: {
            type: 'array',
            items: {
              type: 'object',
              required: ['teamId', 'staffId', 'teamRole', 'teamName'],
              properties: {
                teamId: { type: 'string' },
                teamName: { type: 'string' },
                staffId: { type: 'string' },
                teamRole: { type: 'string' },
              },
            },
          },
        },
      },
    ],
  },
};

@ApiController({ tag: 'jurisdictions', path: 'v1/jurisdictions' })
export class JurisdictionHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
  ) {}

  @Post(':code/framework-adoptions')
  @ApiOkResponse(RULE_CHANGE_REPLY)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Adopt a published framework version from a date (Kosovo*: XK)',
    description:
      'A new adoption takes effect after the latest one (409 JURISDICTION.ADOPTION_OUT_OF_ORDER otherwise). Adopting a version published before the one in force (the latest adopted) may drop requirements: it needs a `reason`, kept on the event.',
  })
  @ApiResponse({
    status: 400,
    description:
      'JURISDICTION.OLDER_VERSION_WITHOUT_REASON: the version was published before the one in force and no `reason` was given (nothing is written)',
  })
  @Problems({
    400: ['JURISDICTION.OLDER_VERSION_WITHOUT_REASON'],
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    409: ['FRAMEWORK.NOT_PUBLISHED'],
  })
  @Problems({ 400: ['JURISDICTION.INVALID_CODE'], 409: ['FRAMEWORK.RETIRED'] })
  adopt(
    @Param('code') code: string,
    @Body() body: AdoptFrameworkRequestDto,
    @Command() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandReply | RuleChangePreview> {
    return this.send(
      reply,
      body.dryRun === true,
      code,
      jurisdictionCommand(
        'AdoptFramework',
        { jurisdiction: code, version: body.version, effectiveFrom: body.effectiveFrom },
        body,
      ),
      request,
    );
  }

  @Post(':code/requirements')
  @ApiOkResponse(RULE_CHANGE_REPLY)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Add a requirement on top of the regional baseline (never lower one)',
    description:
      'A requirement taking effect more than 24 h in the past needs a `reason`, kept on the event.',
  })
  @ApiResponse({
    status: 400,
    description:
      'JURISDICTION.BACKDATED_REQUIREMENT_WITHOUT_REASON: `effectiveFrom` lies more than 24 h in the past and no `reason` was given (nothing is written)',
  })
  @Problems({ 422: ['JURISDICTION.REQUIREMENT_NOT_STRICTER'] })
  @Problems({ 400: ['JURISDICTION.BACKDATED_REQUIREMENT_WITHOUT_REASON'] })
  @Problems({ 400: ['JURISDICTION.INVALID_CODE'] })
  addRequirement(
    @Param('code') code: string,
    @Body() body: AddJurisdictionRequirementRequestDto,
    @Command() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandReply | RuleChangePreview> {
    return this.send(
      reply,
      body.dryRun === true,
      code,
      jurisdictionCommand(
        'AddJurisdictionRequirement',
        {
          jurisdiction: code,
          role: body.role,
          competency: body.competency,
          minLevel: body.minLevel,
          effectiveFrom: body.effectiveFrom,
        },
        body,
      ),
      request,
    );
  }

  @ReadRoute({
    path: ':code',
    roles: RECORD_READERS,
    summary:
      "A jurisdiction's adoptions and additions, with ETag = its revision (a jurisdiction you act in, or any with `*`)",
    ok: aggregate('A jurisdiction: its adopted frameworks and its own requirements'),
    problems: { 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['JURISDICTION.NOT_FOUND'] },
  })
  async get(
    @Param('code') code: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    // Before reading: a code outside the caller's jurisdictions is refused whether or not it was
    // ever adopted, so the answer tells nothing about it.
    assertActsIn(actor, [code]);
    const found = await readJurisdiction(this.runner.store, code);
    return withRevision(reply, found.revision, found.state);
  }

  private async send(
    reply: FastifyReply,
    dryRun: boolean,
    code: string,
    command: CoordinatorJurisdictionCommand,
    request: CommandRequest,
  ): Promise<CommandReply | RuleChangePreview> {
    const result = await this.commands.execute(new ExecuteJurisdictionCommand(command, request, dryRun));
    if (dryRun) {
      // Decided (a refusal is answered as it would be), not written: who would lapse, at its date.
      const decided = result.events[0] as { data: { effectiveFrom: string } } | undefined;
      const effectiveFrom = decided?.data.effectiveFrom ?? this.runner.clock.now().toISOString();
      const version = command.type === 'AdoptFramework' ? command.data.version : undefined;
      reply.status(200);
      return previewRuleChange(this.runner.store, code, result.state, version, effectiveFrom);
    }
    // The first adoption creates the jurisdiction's stream: 201 then, 200 afterwards.
    return CommandReply.of(code, result);
  }
}
