import { Module } from '@nestjs/common';
import { StaffTranscriptHttpController } from './staff-transcript.http.controller.js';
import { StaffTranscriptQuery } from '@cadre/read-models';

@Module({ controllers: [StaffTranscriptHttpController], providers: [StaffTranscriptQuery] })
export class StaffTranscriptModule {}
