import { Module } from '@nestjs/common';
import { TeamHttpController } from './team.http.controller.js';
import { TeamMemberHttpController } from './team-member.http.controller.js';

@Module({ controllers: [TeamHttpController, TeamMemberHttpController] })
export class TeamModule {}
