import { Module } from '@nestjs/common';
import { CertificationHttpController } from './certification.http.controller.js';
import { StaffHttpController } from './staff.http.controller.js';

@Module({ controllers: [StaffHttpController, CertificationHttpController] })
export class StaffModule {}
