import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** What readiness asks of the event store (the event-store module provides it: the port itself). */
export interface EventStorePing {
  ping(): Promise<void>;
}
export const EVENT_STORE_PING = Symbol.for('cadre.EventStorePing');

/** Readiness of the event store: the port's own round trip, bounded in time. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE_PING) private readonly store: EventStorePing,
  ) {}

  check(key = 'eventStore') {
    return this.indicators
      .check(key)
      .attempt(() => this.store.ping())
      .withTimeout(2000);
  }
}
