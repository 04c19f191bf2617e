import { Module } from '@nestjs/common';
import { JurisdictionCommandHandler } from './jurisdiction.command-handler.js';
import { JurisdictionHttpController } from './jurisdiction.http.controller.js';

@Module({ controllers: [JurisdictionHttpController], providers: [JurisdictionCommandHandler] })
export class JurisdictionModule {}
