import { Body, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertActsIn, staffDecider, staffErrors, staffStream, type StaffCommand } from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { PersonalDataVault } from '@cadre/personal-data';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import {
  CommandRunner,
  ErasePersonalData,
  ExecuteStaffCommand,
  RegisterStaff,
  TransferStaff,
} from '@cadre/command-handling/nest';
import { loadAggregate, registeredPersonalData, unsealPersonalData } from '@cadre/command-handling';
import { withRevision } from '../shared/aggregate-reply.js';
import { ApiController } from '../shared/api-controller.js';
import { AccessLogged } from '../audit/access-log.js';
import { commandMetadata, commandsOf } from '../shared/backdatable.request.dto.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import {
  ChangeStaffRoleRequestDto,
  RecordDepartureRequestDto,
  RegisterStaffRequestDto,
  TransferStaffRequestDto,
} from './staff.request.dto.js';
import { staffView, type StaffView } from './staff.view.js';
import { aggregate } from '../shared/response.schemas.js';

const staffCommand = commandsOf<StaffCommand>();

/**
 * Staff members: registered, moved and released by the managers (and admins) of their
 * jurisdiction. Personal data (name, e-mail, employeeRef) is sealed before it is recorded, and
 * erasure forgets it for good while the events stay.
 */
@ApiController({ tag: 'staff', path: 'v1/staff' })
export class StaffHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly vault: PersonalDataVault,
  ) {}

  @Post()
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: 'Register a staff member (manager or admin of the jurisdiction)',
    description:
      "Creates `staff-<id>` under a fresh surrogate id (the reply's `id`). Name, e-mail and employeeRef are sealed; the employeeRef is unique within the jurisdiction (409 STAFF.EMPLOYEE_REF_TAKEN). 422 STAFF.UNKNOWN_ROLE, JURISDICTION.NO_FRAMEWORK_ADOPTED; 403 ACTOR.OUTSIDE_JURISDICTION.",
  })
  @Problems({
    400: ['COMMAND.BACKDATED_WITHOUT_REASON'],
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    409: ['STAFF.EMPLOYEE_REF_TAKEN'],
    422: ['JURISDICTION.NO_FRAMEWORK_ADOPTED', 'STAFF.UNKNOWN_ROLE'],
  })
  async register(
    @Body() body: RegisterStaffRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { agency, jurisdiction, institution, role, name, email, employeeRef } = body;
    const { staffId, result } = await this.commands.execute(
      new RegisterStaff(
        {
          agency,
          jurisdiction,
          institution,
          role,
          personalData: { name, email, employeeRef },
          metadata: commandMetadata(body),
        },
        request,
      ),
    );
    return CommandReply.of(staffId, result);
  }

  @Post(':id/transfers')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: 'Transfer a staff member to another institution, agency or jurisdiction (manager or admin)',
    description:
      'The caller acts in both jurisdictions. The employeeRef reservation moves along (409 STAFF.EMPLOYEE_REF_TAKEN when the new jurisdiction has it). 409 STAFF.NOTHING_TO_CHANGE; 422 STAFF.MEMBER_LEFT.',
  })
  @Problems({
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    409: ['STAFF.EMPLOYEE_REF_TAKEN', 'STAFF.NOTHING_TO_CHANGE'],
  })
  @Problems({ 404: ['STAFF.NOT_FOUND'] })
  async transfer(
    @Param('id') staffId: string,
    @Body() body: TransferStaffRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { institution, jurisdiction, agency } = body;
    const command = {
      type: 'TransferStaffMember' as const,
      data: { staffId, institution, jurisdiction, agency },
      metadata: commandMetadata(body),
    };
    return CommandReply.of(staffId, await this.commands.execute(new TransferStaff(command, request)));
  }

  @Post(':id/role-changes')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: "Change a staff member's role (manager or admin)",
    description: '422 STAFF.UNKNOWN_ROLE, STAFF.MEMBER_LEFT; 409 STAFF.NOTHING_TO_CHANGE.',
  })
  @Problems({
    404: ['STAFF.NOT_FOUND'],
    409: ['STAFF.NOTHING_TO_CHANGE'],
    422: ['STAFF.MEMBER_LEFT', 'STAFF.UNKNOWN_ROLE'],
  })
  changeRole(
    @Param('id') staffId: string,
    @Body() body: ChangeStaffRoleRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(staffId, staffCommand('ChangeStaffRole', { staffId, role: body.role }, body), request);
  }

  @Post(':id/departure')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: 'Record that a staff member left the service (manager or admin); nothing is awarded after',
  })
  @Problems({ 404: ['STAFF.NOT_FOUND'] })
  depart(
    @Param('id') staffId: string,
    @Body() body: RecordDepartureRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.send(staffId, staffCommand('RecordStaffDeparture', { staffId }, body), request);
  }

  @Delete(':id/personal-data')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: "Erase a staff member's personal data for good (manager or admin)",
    description:
      "Records StaffPersonalDataErased and destroys the member's data key: the events stay, the person is forgotten, and every start re-applies recorded erasures. Their employeeRef is freed: a new registration may take it. Idempotent.",
  })
  @Problems({ 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['STAFF.NOT_FOUND'] })
  async erase(@Param('id') staffId: string, @Command() request: CommandRequest): Promise<CommandReply> {
    return CommandReply.of(staffId, await this.commands.execute(new ErasePersonalData(staffId, request)));
  }

  @Get(':id')
  @Roles('manager', 'training-coordinator', 'auditor', 'admin')
  @AccessLogged('staff-record')
  @ApiOperation({
    summary: 'A staff member as they stand, with their certifications; ETag = the stream revision',
    description:
      'Personal data is unsealed for callers of the member\'s jurisdiction; once erased, `personalData` is "erased" and name, email and employeeRef are null. Each certification carries `status` (active, suspended or revoked: what was decided) and `standing`, how it stands by the clock now: valid, not-yet-valid, expired (past `validUntil`, whether or not CertificationExpired is recorded yet), suspended or revoked.',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: aggregate('A staff member: record, certifications and personal data ("erased" once erased)'),
  })
  @Problems({ 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['STAFF.NOT_FOUND'] })
  async get(
    @Param('id') staffId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StaffView & { revision: number }> {
    const { state, revision, events } = await loadAggregate(
      this.runner.store,
      staffStream(staffId),
      staffDecider,
    );
    if (state.status === 'unregistered') throw staffErrors.notFound(staffId);
    assertActsIn(actor, [state.jurisdiction]);
    const personal = state.personalDataErased
      ? null
      : await unsealPersonalData(this.vault, staffId, registeredPersonalData(events));
    return withRevision(reply, revision, staffView(state, personal, this.runner.clock.now().toISOString()));
  }

  private async send(staffId: string, command: StaffCommand, request: CommandRequest): Promise<CommandReply> {
    const result = await this.commands.execute(new ExecuteStaffCommand(staffId, command, request));
    return CommandReply.of(staffId, result);
  }
}
