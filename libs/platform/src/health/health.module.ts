import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { HealthController } from './health.controller.js';
import { ReadModelHealthIndicator } from './read-model.health.js';

/** `/health/live` and `/health/ready`. Needs EVENT_STORE and DATABASE from the app's modules. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ReadModelHealthIndicator],
})
export class HealthModule {}
