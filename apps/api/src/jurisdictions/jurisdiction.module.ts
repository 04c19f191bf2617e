import { Module } from '@nestjs/common';
import { JurisdictionHttpController } from './jurisdiction.http.controller.js';

@Module({ controllers: [JurisdictionHttpController] })
export class JurisdictionModule {}
