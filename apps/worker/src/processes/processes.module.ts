import { Module } from '@nestjs/common';
import { ProcessManagerWorker } from './process-manager.worker.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';

/** Process managers of the worker: awards on session close, the certification schedule, lapses. */
@Module({
  providers: [ProcessManagerWorker, WebhookDeliveryWorker],
  exports: [ProcessManagerWorker, WebhookDeliveryWorker],
})
export class ProcessesModule {}
