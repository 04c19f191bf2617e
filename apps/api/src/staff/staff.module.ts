import { Module } from '@nestjs/common';
import { CertificationHttpController } from './certification.http.controller.js';
import { EmployeeRefReservations } from './employee-ref-reservations.js';
import { ErasePersonalDataHandler } from './erase-personal-data.command-handler.js';
import { ErasureReapplier } from './erasure-reapplier.js';
import { personalDataVaultProvider } from './personal-data-vault.provider.js';
import { RegisterStaffHandler } from './register-staff.command-handler.js';
import { StaffCommandHandler } from './staff.command-handler.js';
import { StaffHttpController } from './staff.http.controller.js';
import { TransferStaffHandler } from './transfer-staff.command-handler.js';

@Module({
  controllers: [StaffHttpController, CertificationHttpController],
  providers: [
    personalDataVaultProvider,
    EmployeeRefReservations,
    StaffCommandHandler,
    RegisterStaffHandler,
    TransferStaffHandler,
    ErasePersonalDataHandler,
    ErasureReapplier,
  ],
})
export class StaffModule {}
