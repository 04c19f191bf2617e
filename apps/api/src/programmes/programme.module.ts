import { Module } from '@nestjs/common';
import { ProgrammeCommandHandler } from './programme.command-handler.js';
import { ProgrammeHttpController } from './programme.http.controller.js';

@Module({ controllers: [ProgrammeHttpController], providers: [ProgrammeCommandHandler] })
export class ProgrammeModule {}
