import { Module } from '@nestjs/common';
import { TrainerRegistryHttpController } from './trainer-registry.http.controller.js';
import { TrainerRegistryReadQuery } from '@cadre/read-models';

@Module({ controllers: [TrainerRegistryHttpController], providers: [TrainerRegistryReadQuery] })
export class TrainerRegistryModule {}
