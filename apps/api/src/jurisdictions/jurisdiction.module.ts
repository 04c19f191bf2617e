import { Module } from '@nestjs/common';
import { JurisdictionCommandHandler } from './jurisdiction.command-handler.js';
import { JurisdictionHttpController } from './jurisdiction.http.controller.js';
import { RuleChangeImpact } from './rule-change-impact.js';

@Module({
  controllers: [JurisdictionHttpController],
  providers: [JurisdictionCommandHandler, RuleChangeImpact],
})
export class JurisdictionModule {}
