import { Module } from '@nestjs/common';
import { TeamCompositionHttpController } from './team-composition.http.controller.js';
import { TeamCompositionReadQuery } from '@cadre/read-models';

@Module({ controllers: [TeamCompositionHttpController], providers: [TeamCompositionReadQuery] })
export class TeamCompositionModule {}
