import { Module } from '@nestjs/common';
import { MatrixConformanceHttpController } from './matrix-conformance.http.controller.js';
import { MatrixConformanceReadQuery } from '@cadre/read-models';

@Module({ controllers: [MatrixConformanceHttpController], providers: [MatrixConformanceReadQuery] })
export class MatrixConformanceModule {}
