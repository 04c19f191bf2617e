import type { Position, RecordedEvent } from '@cadre/event-store';
import { CheckpointMovedError, type ConsumerCheckpoint, type LogConsumer } from '@cadre/subscriptions';
import { CERTIFICATION_FILTER } from '../certification-types.js';
import type { CertificationEventMapper } from '../certification-event-mapper.js';
import type { DeliveryQueue, QueuedEvent } from './delivery-queue.js';
import type { WebhookSubscription, WebhookSubscriptions } from './webhook-subscriptions.js';

export interface WebhookDeliveryOptions {
  /**
   * The delays before each retry, in ms (the first attempt is at once); an event whose delays
   * are spent goes to the dead letters. Default: Standard Webhooks' 5 s, 5 min, 30 min, 2 h,
   * 5 h, 10 h, 10 h.
   */
  readonly retryDelaysMs?: readonly number[];
  /** Multiplies every retry delay (compresses the schedule in tests, e.g. 0.001). */
  readonly retryScale?: number;
  /** Each delay is spread by ±this fraction of itself (default 0.2). */
  readonly retryJitter?: number;
  readonly timeoutMs?: number;
  /** Production: refuse private and loopback addresses, checked at every connection. */
  readonly blockPrivateAddresses?: boolean;
  /** Called after each attempt (metrics): delivered, failed (will retry) or dead-lettered. */
  readonly onAttempt?: (outcome: 'delivered' | 'failed' | 'dead-lettered', subscriptionId: string) => void;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

/** The subscription was deleted while its events were being delivered: its runner stops. */
export class SubscriptionGoneError extends Error {}

/**
 * The subscription was disabled while its runner was queueing: nothing more is queued, its cursor
 * stays; the dispatcher stops its runner at its next look, and `enable` starts it again from there.
 */
export class SubscriptionDisabledError extends Error {}

/** The name of a subscription's delivery: its lease's and its runner's. */
export const deliveryName = (subscriptionId: string): string => `webhook-${subscriptionId}`;

/**
 * The enqueueing half of a webhook subscription's delivery (decision 0025), a {@link LogConsumer}
 * of the subscription runner: each batch's events the subscription wants go into its
 * {@link DeliveryQueue} (ids, positions and subject, never a body) in the same transaction as its
 * cursor, which therefore says how far the log has been queued. Nothing waits on a receiver here:
 * the subscription's deliverers post the queued events, in order per subject.
 */
export class WebhookDeliveryConsumer implements LogConsumer {
  readonly name: string;
  readonly handles = CERTIFICATION_FILTER.eventTypePrefixes;

  constructor(
    private readonly subscriptionId: string,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly mapper: CertificationEventMapper,
    /** Called after events were queued: the local deliverer looks at once. */
    private readonly onQueued: () => void = () => undefined,
  ) {
    this.name = deliveryName(subscriptionId);
  }

  async open(): Promise<ConsumerCheckpoint> {
    const subscription = await this.current();
    return { position: subscription.cursor, lastRecordedAt: null };
  }

  async handle(
    events: readonly RecordedEvent[],
    expected: Position | null,
    last: RecordedEvent,
  ): Promise<void> {
    // Read again for each batch: a change of event types or a deletion takes effect at the next batch.
    const subscription = this.notDisabled(await this.current());
    if (subscription.cursor !== expected) {
      throw new CheckpointMovedError(`the cursor of ${this.name} moved: another worker is delivering it`);
    }
    const queued = await wantedEvents(this.mapper, subscription, events);
    if (!(await this.queue.enqueue(this.subscriptionId, expected, last.position, queued))) {
      this.notDisabled(await this.current());
      throw new CheckpointMovedError(`the cursor of ${this.name} moved: another worker is delivering it`);
    }
    if (queued.length > 0) this.onQueued();
  }

  private notDisabled(subscription: WebhookSubscription): WebhookSubscription {
    if (subscription.state === 'disabled')
      throw new SubscriptionDisabledError(`webhook subscription ${this.subscriptionId} is disabled`);
    return subscription;
  }

  private async current(): Promise<WebhookSubscription> {
    const subscription = await this.subscriptions.withoutLag(this.subscriptionId);
    if (!subscription)
      throw new SubscriptionGoneError(`webhook subscription ${this.subscriptionId} is deleted`);
    return subscription;
  }
}

/** The events among `events` (in log order) that `subscription` wants, as they are queued. */
export async function wantedEvents(
  mapper: CertificationEventMapper,
  subscription: Pick<WebhookSubscription, 'eventTypes' | 'jurisdictions'>,
  events: readonly RecordedEvent[],
): Promise<QueuedEvent[]> {
  const recorded = new Map(events.map((event) => [event.position, event]));
  const wanted: QueuedEvent[] = [];
  for (const e of await mapper.map(events)) {
    const event = recorded.get(e.position);
    if (
      event &&
      subscription.eventTypes.includes(e.cloudEvent.type) &&
      (subscription.jurisdictions.includes('*') || subscription.jurisdictions.includes(e.jurisdiction))
    ) {
      wanted.push({
        eventId: e.cloudEvent.id,
        position: e.position,
        stream: event.stream,
        revision: event.revision,
        subject: e.cloudEvent.subject ?? event.stream,
        recordedAt: event.recordedAt,
      });
    }
  }
  return wanted;
}
