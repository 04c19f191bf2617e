import { Module } from '@nestjs/common';
import { JointTrainingHttpController } from './joint-training.http.controller.js';
import { JointTrainingReadQuery } from '@cadre/read-models';

@Module({ controllers: [JointTrainingHttpController], providers: [JointTrainingReadQuery] })
export class JointTrainingModule {}
