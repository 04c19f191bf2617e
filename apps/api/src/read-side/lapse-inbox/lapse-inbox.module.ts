import { Module } from '@nestjs/common';
import { LapseInboxHttpController } from './lapse-inbox.http.controller.js';
import { LapseInboxReadQuery } from '@cadre/read-models';

@Module({ controllers: [LapseInboxHttpController], providers: [LapseInboxReadQuery] })
export class LapseInboxModule {}
