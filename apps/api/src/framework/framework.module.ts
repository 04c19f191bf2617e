import { Module } from '@nestjs/common';
import { FrameworkCommandHandler } from './framework.command-handler.js';
import { FrameworkHttpController } from './framework.http.controller.js';

@Module({ controllers: [FrameworkHttpController], providers: [FrameworkCommandHandler] })
export class FrameworkModule {}
