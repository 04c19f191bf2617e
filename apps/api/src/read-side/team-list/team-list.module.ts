import { Module } from '@nestjs/common';
import { TeamListHttpController } from './team-list.http.controller.js';

@Module({ controllers: [TeamListHttpController] })
export class TeamListModule {}
