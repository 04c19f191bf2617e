import { Module } from '@nestjs/common';
import { MatrixConformanceHttpController } from './matrix-conformance.http.controller.js';
import { MatrixConformanceReadQuery } from './matrix-conformance.query.js';

@Module({ controllers: [MatrixConformanceHttpController], providers: [MatrixConformanceReadQuery] })
export class MatrixConformanceModule {}
