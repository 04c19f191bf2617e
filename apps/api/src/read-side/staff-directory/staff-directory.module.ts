import { Module } from '@nestjs/common';
import { StaffDirectoryHttpController } from './staff-directory.http.controller.js';
import { StaffDirectoryQuery } from '@cadre/read-models';

@Module({ controllers: [StaffDirectoryHttpController], providers: [StaffDirectoryQuery] })
export class StaffDirectoryModule {}
