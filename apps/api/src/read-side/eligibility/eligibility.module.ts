import { Module } from '@nestjs/common';
import { EligibilityHttpController } from './eligibility.http.controller.js';
import { EligibilityReadQuery } from '@cadre/read-models';

@Module({ controllers: [EligibilityHttpController], providers: [EligibilityReadQuery] })
export class EligibilityModule {}
