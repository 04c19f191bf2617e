import { Module } from '@nestjs/common';
import { AcknowledgeLapseHandler } from './acknowledge-lapse.command-handler.js';
import { LapseInboxHttpController } from './lapse-inbox.http.controller.js';
import { LapseInboxReadQuery } from '@cadre/read-models';

@Module({
  controllers: [LapseInboxHttpController],
  providers: [LapseInboxReadQuery, AcknowledgeLapseHandler],
})
export class LapseInboxModule {}
