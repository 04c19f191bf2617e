import { Module } from '@nestjs/common';
import { ProcessManagerWorker } from './process-manager.worker.js';

/** Process managers of the worker: awards on session close, the certification schedule, lapses. */
@Module({ providers: [ProcessManagerWorker], exports: [ProcessManagerWorker] })
export class ProcessesModule {}
