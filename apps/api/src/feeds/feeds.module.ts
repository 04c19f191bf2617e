import { Module } from '@nestjs/common';
import { CertificationFeed } from './certification-feed.js';
import { FeedsHttpController } from './feeds.http.controller.js';
import { ProcessRefusalsHttpController } from './process-refusals.http.controller.js';
import { WebhookSubscriptionsHttpController } from './webhook-subscriptions.http.controller.js';

/** The public contract over HTTP: the schemas, the certification feed (batch, long-poll, SSE). */
@Module({
  controllers: [FeedsHttpController, ProcessRefusalsHttpController, WebhookSubscriptionsHttpController],
  providers: [CertificationFeed],
  exports: [CertificationFeed],
})
export class FeedsModule {}
