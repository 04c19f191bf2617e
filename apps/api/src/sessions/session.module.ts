import { Module } from '@nestjs/common';
import { SessionCommandHandler } from './session.command-handler.js';
import { SessionHttpController } from './session.http.controller.js';
import { SessionParticipantHttpController } from './session-participant.http.controller.js';

@Module({
  controllers: [SessionHttpController, SessionParticipantHttpController],
  providers: [SessionCommandHandler],
})
export class SessionModule {}
