import { Module, type DynamicModule } from '@nestjs/common';
import type { WorkerRole } from '@cadre/platform';
import { ProcessManagerWorker } from './processes/process-manager.worker.js';
import { WebhookDeliveryThread } from './processes/webhook-delivery-thread.worker.js';
import { WebhookDeliveryWorker } from './processes/webhook-delivery.worker.js';

/**
 * The worker: process managers (awards, expiry, lapses) and webhook delivery (the read models'
 * projections run from readModelsModule). `npm start` (server/) composes it with the api,
 * `apps/worker/src/main.ts` runs it on its own, with the roles of CADRE_WORKER_ROLES (webhooks in
 * a thread of their own when there are other roles: {@link WebhookDeliveryThread}).
 */
@Module({})
export class WorkerModule {
  static register(roles: readonly WorkerRole[], options: { webhooksInThread?: boolean } = {}): DynamicModule {
    const delivery = options.webhooksInThread ? WebhookDeliveryThread : WebhookDeliveryWorker;
    const providers = [
      ...(roles.includes('processes') ? [ProcessManagerWorker] : []),
      ...(roles.includes('webhooks') ? [delivery] : []),
    ];
    return { module: WorkerModule, providers, exports: providers };
  }
}
