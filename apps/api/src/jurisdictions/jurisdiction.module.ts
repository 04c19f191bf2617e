import { Module } from '@nestjs/common';
import { RuleChangeImpact } from '@cadre/processes';
import { JurisdictionHttpController } from './jurisdiction.http.controller.js';

@Module({ controllers: [JurisdictionHttpController], providers: [RuleChangeImpact] })
export class JurisdictionModule {}
