import { Module } from '@nestjs/common';

/**
 * The worker: projections, process managers (awards, expiry, lapses) and webhook delivery.
 * A placeholder until the projection runner arrives; `npm start` imports it into the api
 * process, `apps/worker/src/main.ts` runs it on its own.
 */
@Module({})
export class WorkerModule {}
