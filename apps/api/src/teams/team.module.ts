import { Module } from '@nestjs/common';
import { TeamCommandHandler } from './team.command-handler.js';
import { TeamHttpController } from './team.http.controller.js';
import { TeamMemberHttpController } from './team-member.http.controller.js';

@Module({
  controllers: [TeamHttpController, TeamMemberHttpController],
  providers: [TeamCommandHandler],
})
export class TeamModule {}
