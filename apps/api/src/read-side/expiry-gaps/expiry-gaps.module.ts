import { Module } from '@nestjs/common';
import { ExpiryGapsHttpController } from './expiry-gaps.http.controller.js';
import { ExpiryGapsReadQuery } from '@cadre/read-models';

@Module({ controllers: [ExpiryGapsHttpController], providers: [ExpiryGapsReadQuery] })
export class ExpiryGapsModule {}
