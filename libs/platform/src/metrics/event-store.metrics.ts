import { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

export type AppendOutcome = 'ok' | 'conflict' | 'invalid' | 'unavailable' | 'error';

/**
 * Event-store metrics: append latency (recorded by the metered decorator the event-store module
 * wraps around the port) and how far each subscription has come (recorded by its consumer, e.g.
 * the projection runner, which knows the subscription's name).
 */
export class EventStoreMetrics {
  readonly appendSeconds: Histogram<'outcome'>;
  readonly subscriptionPosition: Gauge<'subscription'>;
  readonly subscriptionLastRecordedAt: Gauge<'subscription'>;

  constructor(metrics: MetricsRegistry) {
    this.appendSeconds = new Histogram({
      name: 'cadre_event_store_append_seconds',
      help: 'Event store append latency, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [metrics.registry],
    });
    this.subscriptionPosition = new Gauge({
      name: 'cadre_subscription_position',
      help: 'Last position a subscription handled, as a number (positions are otherwise opaque).',
      labelNames: ['subscription'],
      registers: [metrics.registry],
    });
    this.subscriptionLastRecordedAt = new Gauge({
      name: 'cadre_subscription_last_recorded_at_seconds',
      help: 'Record time (Unix seconds) of the last event a subscription handled: now minus this is its lag.',
      labelNames: ['subscription'],
      registers: [metrics.registry],
    });
  }

  /** Starts a timer; call the returned function with the outcome when the append settles. */
  startAppend(): (outcome: AppendOutcome) => void {
    const end = this.appendSeconds.startTimer();
    return (outcome) => {
      end({ outcome });
    };
  }

  /** Records that `subscription` handled events up to `position`, recorded at `recordedAt`. */
  recordSubscriptionProgress(subscription: string, position: number | bigint, recordedAt?: string): void {
    this.subscriptionPosition.set({ subscription }, Number(position));
    if (recordedAt) this.subscriptionLastRecordedAt.set({ subscription }, Date.parse(recordedAt) / 1000);
  }
}
