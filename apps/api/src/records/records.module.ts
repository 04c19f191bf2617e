import { Module } from '@nestjs/common';
import { RecordsHttpController } from './records.http.controller.js';

@Module({ controllers: [RecordsHttpController] })
export class RecordsModule {}
