import { Module } from '@nestjs/common';
import { JointTrainingHttpController } from './joint-training.http.controller.js';
import { JointTrainingReadQuery } from './joint-training.query.js';

@Module({ controllers: [JointTrainingHttpController], providers: [JointTrainingReadQuery] })
export class JointTrainingModule {}
