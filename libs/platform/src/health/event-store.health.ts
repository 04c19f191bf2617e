import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';

/** Readiness of the event store: the port's own round trip, bounded in time. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  check(key = 'eventStore') {
    return this.indicators
      .check(key)
      .attempt(() => this.store.ping())
      .withTimeout(2000);
  }
}
