import { Module } from '@nestjs/common';
import { JurisdictionHttpController } from './jurisdiction.http.controller.js';
import { RuleChangeImpact } from './rule-change-impact.js';

@Module({ controllers: [JurisdictionHttpController], providers: [RuleChangeImpact] })
export class JurisdictionModule {}
