import { randomIds, type Actor } from '@cadre/kernel';
import { Body, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  assertActsIn,
  judgeMember,
  readinessAt,
  teamDecider,
  teamStream,
  type TeamCommand,
} from '@cadre/domain';
import { loadAggregate } from '@cadre/command-handling';
import { STAFF_DIRECTORY_SCHEMA } from '@cadre/read-models';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import type { DataSource } from 'typeorm';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import { CommandRunner, ExecuteTeamCommand, ReferenceData } from '@cadre/command-handling/nest';
import { withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { RebuiltFrom } from '../shared/command-reply.interceptor.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  FormTeamRequestDto,
  ReasonedTeamRequestDto,
  StaffRefRequestDto,
  TeamDecisionRequestDto,
} from './team.request.dto.js';
import { aggregate, anything } from '../shared/response.schemas.js';

const teamCommand = commandsOf<TeamCommand>();

export const teamNotFound = () => new ResourceNotFoundError('TEAM.NOT_FOUND', 'This team');
/** An id that is not a UUID names no team: 404, like any unknown id. */
export const TeamId = new ParseUUIDPipe({ exceptionFactory: teamNotFound });

/**
 * Multi-disciplinary teams formed around a case, by managers of the team's jurisdiction: the
 * writes admit the manager role only (an admin is no manager: DOMAIN.md), and the domain checks
 * the jurisdiction. Anyone who may audit reads a team. Members: see the team-member controller.
 */
@ApiController({ tag: 'teams', path: 'v1/teams' })
export class TeamHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
    @Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>,
  ) {}

  @Post()
  @Roles('manager')
  @ApiOperation({ summary: 'Form a team around a case (201, its id is chosen by the server)' })
  @Problems({
    400: ['COMMAND.BACKDATED_WITHOUT_REASON', 'TEAM.DUPLICATE_DISCIPLINE'],
    403: ['TEAM.NOT_A_MANAGER'],
    422: ['JURISDICTION.NO_FRAMEWORK_ADOPTED', 'TEAM.UNKNOWN_ROLE'],
  })
  @Problems({ 400: ['COMMAND.OCCURRED_IN_FUTURE'] })
  @RebuiltFrom('team')
  form(@Body() body: FormTeamRequestDto, @Command() request: CommandRequest): Promise<CommandReply> {
    const { name, jurisdiction, kind, caseRef } = body;
    const data = {
      teamId: randomIds(),
      name,
      jurisdiction,
      kind,
      caseRef,
      institutions: [...body.institutions],
      requiredDisciplines: body.requiredDisciplines.map(({ role, minCount }) => ({ role, minCount })),
    };
    return sendTeam(this.commands, teamCommand('FormTeam', data, body), request);
  }

  @Post(':id/lead')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({ summary: 'Designate a member as the team lead' })
  @Problems({ 422: ['TEAM.LEAD_NOT_A_MEMBER'] })
  @Problems({ 404: ['TEAM.NOT_FOUND'] })
  lead(
    @Param('id', TeamId) teamId: string,
    @Body() body: StaffRefRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { teamId, staffId: body.staffId };
    return sendTeam(this.commands, teamCommand('DesignateTeamLead', data, body), request);
  }

  @Post(':id/operational')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({
    summary:
      'Declare the team operational: refused (422 TEAM.NOT_READY) until every required discipline is present',
  })
  @Problems({ 422: ['TEAM.NOT_READY'] })
  @Problems({ 404: ['TEAM.NOT_FOUND'] })
  operational(
    @Param('id', TeamId) teamId: string,
    @Body() body: TeamDecisionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const command: TeamCommand = teamCommand('DeclareTeamOperational', { teamId }, body);
    return sendTeam(this.commands, command, request);
  }

  @Post(':id/dissolve')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({ summary: 'Dissolve the team (final); `reason` is required' })
  @Problems({ 400: ['COMMAND.FIELD_REQUIRED'] })
  @Problems({ 404: ['TEAM.NOT_FOUND'] })
  dissolve(
    @Param('id', TeamId) teamId: string,
    @Body() body: ReasonedTeamRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { teamId, reason: body.reason ?? '' };
    return sendTeam(this.commands, teamCommand('DissolveTeam', data, body), request);
  }

  @Get(':id')
  @Roles('training-coordinator', 'manager', 'auditor', 'admin')
  @ApiOperation({
    summary:
      'A team as it stands (members, pending overrides, what it lacks to be operational), ETag = revision',
    description:
      'Each member carries its recorded `standing` (qualified, or lapsed since an instant with the unmet ' +
      'requirements or the cause) and `now`: the qualification rule judged by the clock at this instant ' +
      '(`qualified`, `unmet`, `barrier`), which leads a recorded lapse by the seconds the standing process ' +
      'takes. `readiness` counts only the members qualified now by the clock.',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: aggregate('A team as it stands', {
      readiness: anything('What it lacks to be operational, counting members qualified now'),
    }),
  })
  @Problems({ 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['TEAM.NOT_FOUND'] })
  async get(
    @Param('id', TeamId) teamId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const { state, revision } = await loadAggregate(this.runner.store, teamStream(teamId), teamDecider);
    if (state.status === 'none') throw teamNotFound();
    assertActsIn(actor, [state.jurisdiction]);
    const now = this.runner.clock.now().toISOString();
    const ids = Object.keys(state.members);
    const [rules, persons, names] = await Promise.all([
      this.reference.jurisdictionRules(state.jurisdiction),
      this.reference.staffSnapshots(ids),
      this.names(ids),
    ]);
    const members = Object.fromEntries(
      Object.values(state.members).map((member) => {
        const judged = judgeMember(state, member, persons[member.staffId], rules, now);
        const judgedNow = {
          qualified: judged?.qualified ?? false,
          unmet: judged?.unmet ?? [],
          barrier: judged?.barrier?.reason ?? null,
        };
        const name = names.get(member.staffId) ?? null;
        return [member.staffId, { ...member, name, now: judgedNow }];
      }),
    );
    const ready = readinessAt(state, persons, rules, now);
    return withRevision(reply, revision, { ...state, members, readiness: ready });
  }

  /** Members' names as the staff directory shows them ("erased" once erased; null if not projected yet). */
  private async names(staffIds: readonly string[]): Promise<Map<string, string>> {
    if (staffIds.length === 0) return new Map();
    const rows: { staff_id: string; name: string }[] = await this.readModels.query(
      `SELECT staff_id, name FROM ${STAFF_DIRECTORY_SCHEMA}.staff WHERE staff_id = ANY($1::text[])`,
      [staffIds],
    );
    return new Map(rows.map((row) => [row.staff_id, row.name]));
  }
}

/** Sends a team command through the bus; the reply's id is the team's. */
export async function sendTeam(
  commands: CommandBus,
  command: TeamCommand,
  request: CommandRequest,
): Promise<CommandReply> {
  const result = await commands.execute(new ExecuteTeamCommand(command, request));
  return CommandReply.of(command.data.teamId, result);
}
