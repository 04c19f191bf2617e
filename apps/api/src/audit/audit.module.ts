import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessLog, AccessLogInterceptor } from './access-log.js';
import { AuditHistoryHttpController } from './audit-history.http.controller.js';
import { AuditIntegrityHttpController } from './audit-integrity.http.controller.js';

/** History and proof for auditors: stream histories, correlations, integrity, the access log. */
@Module({
  controllers: [AuditHistoryHttpController, AuditIntegrityHttpController],
  providers: [AccessLog, { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor }],
  exports: [AccessLog],
})
export class AuditModule {}
