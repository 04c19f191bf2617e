import { Module } from '@nestjs/common';
import { ProgrammeHttpController } from './programme.http.controller.js';

@Module({ controllers: [ProgrammeHttpController] })
export class ProgrammeModule {}
