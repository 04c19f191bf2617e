import { Body, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { TeamCommand } from '@cadre/domain';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Roles, Problems } from '@cadre/platform';
import { ExecuteTeamCommand } from '@cadre/command-handling/nest';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { ApiController } from '../shared/api-controller.js';
import { CommandReply, CommandReplyDto, PendingOverrideReplyDto } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import { TeamId, sendTeam } from './team.http.controller.js';
import {
  AssignMemberRequestDto,
  ReasonedTeamRequestDto,
  TeamDecisionRequestDto,
} from './team.request.dto.js';

const teamCommand = commandsOf<TeamCommand>();

const OverrideId = new ParseUUIDPipe({
  exceptionFactory: () => new ResourceNotFoundError('TEAM.OVERRIDE_NOT_FOUND', 'This override request'),
});
const MemberId = new ParseUUIDPipe({
  exceptionFactory: () => new ResourceNotFoundError('TEAM.NOT_A_MEMBER', 'This team member'),
});

/**
 * Who serves on a team: a manager assigns a qualified member, or requests an override for an
 * unqualified one, which a different manager approves with their own token. Managers only: an
 * admin's token is refused here, as it is by the team's decider.
 */
@ApiController({ tag: 'teams', path: 'v1/teams/:id' })
@Roles('manager')
export class TeamMemberHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post('members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign a member in a team role',
    description:
      'A member who does not meet every requirement in force for the role is refused with 422 TEAM.MEMBER_NOT_QUALIFIED and `violations: [{role, competency, requiredLevel, held}]` — unless `override.justification` is given: then the assignment awaits a second manager (202, with `overrideId`).',
  })
  @ApiResponse({ status: 200, description: 'Assigned', type: CommandReplyDto })
  @ApiResponse({
    status: 202,
    description: 'Override requested: pending a second manager; the body carries `overrideId`',
    type: PendingOverrideReplyDto,
  })
  @Problems({
    403: ['TEAM.NOT_A_MANAGER'],
    404: ['STAFF.NOT_FOUND'],
    409: ['TEAM.ALREADY_MEMBER', 'TEAM.DISSOLVED', 'TEAM.OVERRIDE_PENDING'],
    422: [
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
      'TEAM.MEMBER_NOT_ELIGIBLE',
      'TEAM.MEMBER_NOT_QUALIFIED',
      'TEAM.UNKNOWN_ROLE',
    ],
  })
  @Problems({ 400: ['COMMAND.OCCURRED_IN_FUTURE'] })
  @Problems({ 404: ['TEAM.NOT_FOUND'] })
  async assign(
    @Param('id', TeamId) teamId: string,
    @Body() body: AssignMemberRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { staffId, teamRole } = body;
    const override = body.override && { justification: body.override.justification };
    const result = await this.commands.execute(
      new ExecuteTeamCommand(
        teamCommand('AssignMember', { teamId, staffId, teamRole, override }, body),
        request,
      ),
    );
    const requested = result.events.find((event) => event.type === 'AssignmentOverrideRequested');
    if (!requested) return CommandReply.of(teamId, result);
    const { overrideId } = requested.data as { overrideId: string };
    const pending = { ...CommandReply.of(teamId, result).body, overrideId };
    return new CommandReply(202, pending);
  }

  @Post('overrides/:overrideId/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve a pending override: a different manager (403 TEAM.OVERRIDE_SELF_APPROVAL otherwise); the member is assigned',
  })
  @Problems({
    403: ['TEAM.OVERRIDE_SELF_APPROVAL'],
    404: ['TEAM.OVERRIDE_NOT_FOUND'],
    409: ['TEAM.OVERRIDE_ALREADY_DECIDED'],
  })
  approve(
    @Param('id', TeamId) teamId: string,
    @Param('overrideId', OverrideId) overrideId: string,
    @Body() body: TeamDecisionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { teamId, overrideId };
    return sendTeam(this.commands, teamCommand('ApproveAssignmentOverride', data, body), request);
  }

  @Post('overrides/:overrideId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending override; `reason` is required' })
  @Problems({ 400: ['COMMAND.FIELD_REQUIRED'] })
  @Problems({ 404: ['TEAM.OVERRIDE_NOT_FOUND'] })
  reject(
    @Param('id', TeamId) teamId: string,
    @Param('overrideId', OverrideId) overrideId: string,
    @Body() body: ReasonedTeamRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { teamId, overrideId, reason: body.reason ?? '' };
    return sendTeam(this.commands, teamCommand('RejectAssignmentOverride', data, body), request);
  }

  @Delete('members/:staffId')
  @ApiOperation({ summary: 'Release a member; `reason` is required' })
  @Problems({ 400: ['COMMAND.FIELD_REQUIRED'], 404: ['TEAM.NOT_A_MEMBER'] })
  @Problems({ 404: ['TEAM.NOT_FOUND'] })
  release(
    @Param('id', TeamId) teamId: string,
    @Param('staffId', MemberId) staffId: string,
    @Body() body: ReasonedTeamRequestDto = {},
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { teamId, staffId, reason: body.reason ?? '' };
    return sendTeam(this.commands, teamCommand('ReleaseMember', data, body), request);
  }
}
