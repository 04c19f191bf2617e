import { Module } from '@nestjs/common';
import { AssignmentLedgerHttpController } from './assignment-ledger.http.controller.js';
import { AssignmentLedgerQuery } from '@cadre/read-models';

@Module({ controllers: [AssignmentLedgerHttpController], providers: [AssignmentLedgerQuery] })
export class AssignmentLedgerModule {}
