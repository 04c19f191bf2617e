import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { StaffCommand, StaffState } from '@cadre/domain';
import type { CommandResult } from '@cadre/command-handling';
import { Roles, Problems } from '@cadre/platform';
import { ExecuteStaffCommand } from '@cadre/command-handling/nest';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { ApiController } from '../shared/api-controller.js';
import { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import {
  AwardCertificationRequestDto,
  CertificationDecisionRequestDto,
  ReinstateCertificationRequestDto,
  RenewCertificationRequestDto,
} from './certification.request.dto.js';

const staffCommand = commandsOf<StaffCommand>();

/**
 * Certifications in the staff member's stream. Awards on external evidence and renewals are the
 * training coordinators' (and admins'); a manager may also suspend one, pending a decision. The
 * reply's `id` is the certification's id; its ETag is the staff stream's revision.
 */
@ApiController({ tag: 'certifications', path: 'v1/staff/:id/certifications' })
export class CertificationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Award a certification on external evidence (training coordinator or admin)',
    description:
      "validUntil and the recertification window come from the framework the member's jurisdiction had adopted at validFrom. Passing again at the same level while certified renews that certification (the reply names it); the same evidence twice records nothing. 422 FRAMEWORK.UNKNOWN_COMPETENCY, FRAMEWORK.LEVEL_NOT_DEFINED, STAFF.MEMBER_LEFT, JURISDICTION.NO_FRAMEWORK_ADOPTED; 400 CERTIFICATION.VALID_FROM_IN_FUTURE; 409 CERTIFICATION.SUSPENDED.",
  })
  @Problems({
    400: ['CERTIFICATION.VALID_FROM_IN_FUTURE'],
    403: ['ACTOR.OUTSIDE_JURISDICTION'],
    404: ['STAFF.NOT_FOUND'],
    422: ['FRAMEWORK.UNKNOWN_COMPETENCY', 'JURISDICTION.NO_FRAMEWORK_ADOPTED', 'STAFF.MEMBER_LEFT'],
  })
  async award(
    @Param('id') staffId: string,
    @Body() body: AwardCertificationRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const evidence = {
      kind: 'external' as const,
      issuer: body.evidence.issuer,
      reference: body.evidence.reference,
    };
    const result = await this.send(
      staffId,
      staffCommand(
        'AwardCertification',
        { staffId, competency: body.competency, level: body.level, validFrom: body.validFrom, evidence },
        body,
      ),
      request,
    );
    return CommandReply.of(certificationWithEvidence(result.state, evidence) ?? staffId, result);
  }

  @Post(':certificationId/renew')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary:
      'Renew a certification on a new external award at the same level (training coordinator or admin)',
    description:
      'Only while it is valid or in its recertification window: 422 CERTIFICATION.NOT_RENEWABLE otherwise (record a new certification). 409 CERTIFICATION.SUSPENDED, CERTIFICATION.REVOKED; 404 CERTIFICATION.NOT_FOUND.',
  })
  @Problems({
    404: ['CERTIFICATION.NOT_FOUND'],
    409: ['CERTIFICATION.SUSPENDED'],
    422: ['CERTIFICATION.NOT_RENEWABLE'],
  })
  @Problems({ 404: ['STAFF.NOT_FOUND'], 422: ['STAFF.MEMBER_LEFT'] })
  async renew(
    @Param('id') staffId: string,
    @Param('certificationId') certificationId: string,
    @Body() body: RenewCertificationRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { issuer, reference } = body.evidence;
    const result = await this.send(
      staffId,
      staffCommand(
        'RenewCertification',
        {
          staffId,
          certificationId,
          validFrom: body.validFrom,
          evidence: { kind: 'external', issuer, reference },
        },
        body,
      ),
      request,
    );
    return CommandReply.of(certificationId, result);
  }

  @Post(':certificationId/suspend')
  @HttpCode(200)
  @Roles('training-coordinator', 'manager', 'admin')
  @ApiOperation({
    summary: 'Suspend a certification, with a reason (training coordinator, manager or admin)',
    description: '409 CERTIFICATION.ALREADY_SUSPENDED, CERTIFICATION.REVOKED; 400 without a reason.',
  })
  @Problems({
    400: ['COMMAND.FIELD_REQUIRED'],
    404: ['CERTIFICATION.NOT_FOUND'],
    409: ['CERTIFICATION.ALREADY_SUSPENDED', 'CERTIFICATION.REVOKED'],
  })
  @Problems({ 404: ['STAFF.NOT_FOUND'] })
  suspend(
    @Param('id') staffId: string,
    @Param('certificationId') certificationId: string,
    @Body() body: CertificationDecisionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.decide(
      staffId,
      certificationId,
      staffCommand('SuspendCertification', { staffId, certificationId, reason: body.reason ?? '' }, body),
      request,
    );
  }

  @Post(':certificationId/reinstate')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Reinstate a suspended certification (training coordinator or admin)',
    description: '409 CERTIFICATION.NOT_SUSPENDED.',
  })
  @Problems({ 409: ['CERTIFICATION.NOT_SUSPENDED'] })
  @Problems({ 404: ['CERTIFICATION.NOT_FOUND', 'STAFF.NOT_FOUND'] })
  reinstate(
    @Param('id') staffId: string,
    @Param('certificationId') certificationId: string,
    @Body() body: ReinstateCertificationRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.decide(
      staffId,
      certificationId,
      staffCommand('ReinstateCertification', { staffId, certificationId, reason: body.reason }, body),
      request,
    );
  }

  @Post(':certificationId/revoke')
  @HttpCode(200)
  @Roles('training-coordinator', 'admin')
  @ApiOperation({
    summary: 'Revoke a certification for good, with a reason (training coordinator or admin)',
    description: '409 CERTIFICATION.REVOKED; 400 without a reason.',
  })
  @Problems({ 400: ['COMMAND.FIELD_REQUIRED'], 409: ['CERTIFICATION.REVOKED'] })
  @Problems({ 404: ['CERTIFICATION.NOT_FOUND', 'STAFF.NOT_FOUND'] })
  revoke(
    @Param('id') staffId: string,
    @Param('certificationId') certificationId: string,
    @Body() body: CertificationDecisionRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    return this.decide(
      staffId,
      certificationId,
      staffCommand('RevokeCertification', { staffId, certificationId, reason: body.reason ?? '' }, body),
      request,
    );
  }

  private async decide(
    staffId: string,
    certificationId: string,
    command: StaffCommand,
    request: CommandRequest,
  ): Promise<CommandReply> {
    return CommandReply.of(certificationId, await this.send(staffId, command, request));
  }

  private send(
    staffId: string,
    command: StaffCommand,
    request: CommandRequest,
  ): Promise<CommandResult<StaffState>> {
    return this.commands.execute(new ExecuteStaffCommand(staffId, command, request));
  }
}

/** The certification that holds this evidence: the new one, the renewed one, or the one recorded before. */
function certificationWithEvidence(
  state: StaffState,
  evidence: { issuer: string; reference: string },
): string | undefined {
  if (state.status === 'unregistered') return undefined;
  return Object.values(state.certifications).find((certification) =>
    certification.periods.some(
      (period) =>
        !period.voided &&
        period.evidence.kind === 'external' &&
        period.evidence.issuer === evidence.issuer &&
        period.evidence.reference === evidence.reference,
    ),
  )?.certificationId;
}
