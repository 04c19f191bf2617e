import { Module } from '@nestjs/common';
import { FrameworkHttpController } from './framework.http.controller.js';

@Module({ controllers: [FrameworkHttpController] })
export class FrameworkModule {}
