import { Module } from '@nestjs/common';
import { CoverageHttpController } from './coverage.http.controller.js';
import { CoverageReadQuery } from '@cadre/read-models';

@Module({ controllers: [CoverageHttpController], providers: [CoverageReadQuery] })
export class CoverageModule {}
