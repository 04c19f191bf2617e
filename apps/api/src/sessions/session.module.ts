import { Module } from '@nestjs/common';
import { SessionHttpController } from './session.http.controller.js';
import { SessionParticipantHttpController } from './session-participant.http.controller.js';

@Module({ controllers: [SessionHttpController, SessionParticipantHttpController] })
export class SessionModule {}
