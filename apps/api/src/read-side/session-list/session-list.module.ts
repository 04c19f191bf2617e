import { Module } from '@nestjs/common';
import { SessionListHttpController } from './session-list.http.controller.js';

@Module({ controllers: [SessionListHttpController] })
export class SessionListModule {}
