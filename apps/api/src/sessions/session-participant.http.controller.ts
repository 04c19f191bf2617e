import { Body, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { SessionCommand } from '@cadre/domain';
import { ApiOperation } from '@nestjs/swagger';
import { Roles, Problems } from '@cadre/platform';
import { commandsOf } from '../shared/backdatable.request.dto.js';
import { ApiController } from '../shared/api-controller.js';
import type { CommandReply } from '../shared/command-reply.js';
import { Command, type CommandRequest } from '../shared/command-request.js';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import { SessionId, TrainerNotQualifiedResponse, sendSession } from './session.http.controller.js';
import {
  ParticipantRequestDto,
  RecordAssessmentRequestDto,
  RecordAttendanceRequestDto,
  WithdrawParticipantRequestDto,
} from './session.request.dto.js';

const sessionCommand = commandsOf<SessionCommand>();

const StaffId = new ParseUUIDPipe({
  exceptionFactory: () => new ResourceNotFoundError('SESSION.NOT_ENROLLED', 'This participant'),
});

/** A session's participants: enrolment within capacity, attendance once started, assessment. */
@ApiController({ tag: 'sessions', path: 'v1/sessions/:id' })
@Roles('training-coordinator', 'admin')
export class SessionParticipantHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post('enrolments')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enrol a staff member (422 SESSION.CAPACITY_REACHED when full, 409 when already enrolled)',
  })
  @TrainerNotQualifiedResponse
  @Problems({
    404: ['STAFF.NOT_FOUND'],
    409: ['SESSION.ALREADY_ENROLLED', 'SESSION.CANCELLED', 'SESSION.CLOSED'],
    422: ['SESSION.CAPACITY_REACHED', 'SESSION.TRAINER_NOT_QUALIFIED'],
  })
  @Problems({ 404: ['SESSION.NOT_FOUND'] })
  enrol(
    @Param('id', SessionId) sessionId: string,
    @Body() body: ParticipantRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { sessionId, staffId: body.staffId };
    return sendSession(this.commands, sessionCommand('EnrolParticipant', data, body), request);
  }

  @Delete('enrolments/:staffId')
  @ApiOperation({ summary: 'Withdraw a participant whose attendance is not yet recorded' })
  @Problems({ 404: ['SESSION.NOT_ENROLLED', 'SESSION.NOT_FOUND'] })
  withdraw(
    @Param('id', SessionId) sessionId: string,
    @Param('staffId', StaffId) staffId: string,
    @Body() body: WithdrawParticipantRequestDto = {},
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const data = { sessionId, staffId, reason: body.reason };
    return sendSession(this.commands, sessionCommand('WithdrawParticipant', data, body), request);
  }

  @Post('attendance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a participant’s attendance, once the session has started' })
  @TrainerNotQualifiedResponse
  @Problems({ 422: ['SESSION.NOT_STARTED', 'SESSION.TRAINER_NOT_QUALIFIED'] })
  @Problems({ 404: ['SESSION.NOT_FOUND'] })
  attendance(
    @Param('id', SessionId) sessionId: string,
    @Body() body: RecordAttendanceRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { staffId, attendance, hours } = body;
    const data = { sessionId, staffId, attendance, hours };
    return sendSession(this.commands, sessionCommand('RecordAttendance', data, body), request);
  }

  @Post('assessments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record an enrolled participant’s assessment' })
  @TrainerNotQualifiedResponse
  @Problems({
    409: ['SESSION.ASSESSMENT_ALREADY_RECORDED', 'SESSION.CLOSED'],
    422: ['SESSION.ABSENT_NOT_ASSESSED', 'SESSION.NOT_ENROLLED', 'SESSION.TRAINER_NOT_QUALIFIED'],
  })
  @Problems({ 404: ['SESSION.NOT_FOUND'] })
  assessment(
    @Param('id', SessionId) sessionId: string,
    @Body() body: RecordAssessmentRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const { staffId, result, score } = body;
    const data = { sessionId, staffId, result, score };
    return sendSession(this.commands, sessionCommand('RecordAssessment', data, body), request);
  }
}
