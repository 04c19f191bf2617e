import { Module } from '@nestjs/common';
import { RecordsHttpController } from './records.http.controller.js';
import { VoidRecordHandler } from './void-record.command-handler.js';

@Module({ controllers: [RecordsHttpController], providers: [VoidRecordHandler] })
export class RecordsModule {}
