import { Module } from '@nestjs/common';
import { ProcessesModule } from './processes/processes.module.js';

/**
 * The worker: process managers (awards, expiry, lapses) and webhook delivery (the read models'
 * projections run from readModelsModule). `npm start` imports it into the api process,
 * `apps/worker/src/main.ts` runs it on its own.
 */
@Module({ imports: [ProcessesModule] })
export class WorkerModule {}
