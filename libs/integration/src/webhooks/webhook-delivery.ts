import type { Position, RecordedEvent } from '@cadre/event-store';
import { CheckpointMovedError, type ConsumerCheckpoint, type LogConsumer } from '@cadre/subscriptions';
import { CERTIFICATION_FILTER } from '../certification-types.js';
import { toStructuredJson, type CertificationEventMapper } from '../certification-event-mapper.js';
import { postSigned } from './post-signed.js';
import type { WebhookSubscription, WebhookSubscriptions } from './webhook-subscriptions.js';

export interface WebhookDeliveryOptions {
  /** Attempts per event before it goes to the subscription's dead letters. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
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

type Deliverable = WebhookSubscription & { secrets: string[] };

/** The subscription was deleted while its events were being delivered: its runner stops. */
export class SubscriptionGoneError extends Error {}

/** The runner is stopping: the batch is left unfinished, its cursor where it was last saved. */
class StoppingError extends Error {}

/** The name of a subscription's delivery: its lease's and its runner's. */
export const deliveryName = (subscriptionId: string): string => `webhook-${subscriptionId}`;

/**
 * One webhook subscription's delivery as a {@link LogConsumer} of the subscription runner: its
 * checkpoint is the subscription's cursor. Each batch's events the subscription wants are posted
 * one after the other, in log order, signed (Standard Webhooks); a failing event is retried with
 * exponential backoff and full jitter and, after `maxAttempts`, goes to the dead letters and
 * delivery moves on. The cursor is saved after the batch, and before a retry waits (so a crash
 * re-sends at most the events after it, with the same webhook-id: at least once).
 */
export class WebhookDeliveryConsumer implements LogConsumer {
  readonly name: string;
  readonly handles = CERTIFICATION_FILTER.eventTypePrefixes;
  private readonly stopped = new AbortController();

  constructor(
    private readonly subscriptionId: string,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly mapper: CertificationEventMapper,
    private readonly options: WebhookDeliveryOptions = {},
  ) {
    this.name = deliveryName(subscriptionId);
  }

  async open(): Promise<ConsumerCheckpoint> {
    const subscription = await this.current();
    return { position: subscription.cursor, lastRecordedAt: null };
  }

  interrupt(): void {
    this.stopped.abort();
  }

  async handle(
    events: readonly RecordedEvent[],
    expected: Position | null,
    last: RecordedEvent,
  ): Promise<void> {
    // Read again for each batch: a rotated secret or a deletion takes effect at the next batch.
    const subscription = await this.current();
    if (subscription.cursor !== expected) {
      throw new CheckpointMovedError(`the cursor of ${this.name} moved: another worker is delivering it`);
    }
    let saved = expected;
    const save = async (position: Position): Promise<void> => {
      if (position === saved) return;
      if (!(await this.subscriptions.saveCursor(this.subscriptionId, saved, position))) {
        throw new CheckpointMovedError(`the cursor of ${this.name} moved: another worker is delivering it`);
      }
      saved = position;
    };
    const wanted = await this.wanted(subscription, events);
    let handled = expected;
    for (const recorded of events) {
      const event = wanted.get(recorded.position);
      if (event)
        await this.attempt(subscription, event, recorded.position, () =>
          handled ? save(handled) : Promise.resolve(),
        );
      handled = recorded.position;
    }
    await save(last.position);
  }

  private async current(): Promise<Deliverable> {
    const subscription = await this.subscriptions.forDelivery(this.subscriptionId);
    if (!subscription)
      throw new SubscriptionGoneError(`webhook subscription ${this.subscriptionId} is deleted`);
    return subscription;
  }

  /** The bodies to deliver, by position: the events of the batch the subscription wants. */
  private async wanted(
    subscription: Deliverable,
    events: readonly RecordedEvent[],
  ): Promise<Map<string, { id: string; body: string }>> {
    const wanted = new Map<string, { id: string; body: string }>();
    for (const e of await this.mapper.map(events)) {
      if (
        subscription.eventTypes.includes(e.cloudEvent.type) &&
        (subscription.jurisdictions.includes('*') || subscription.jurisdictions.includes(e.jurisdiction))
      ) {
        wanted.set(e.position, { id: e.cloudEvent.id, body: JSON.stringify(toStructuredJson(e.cloudEvent)) });
      }
    }
    return wanted;
  }

  private async attempt(
    subscription: Deliverable,
    event: { id: string; body: string },
    position: string,
    /** Saves the cursor of the events already handled: called before a retry waits. */
    beforeRetry: () => Promise<void>,
  ): Promise<void> {
    const max = this.options.maxAttempts ?? 8;
    let lastError = '';
    for (let attempt = 1; attempt <= max; attempt += 1) {
      if (this.stopped.signal.aborted) throw new StoppingError('stopping');
      try {
        const status = await postSigned(
          subscription.url,
          subscription.secrets,
          event.id,
          event.body,
          this.options.timeoutMs,
          {},
          this.options.blockPrivateAddresses ?? false,
        );
        if (status >= 200 && status < 300) {
          this.options.onAttempt?.('delivered', subscription.id);
          return;
        }
        lastError = `HTTP ${status}`;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      this.options.onAttempt?.('failed', subscription.id);
      if (attempt < max) {
        if (attempt === 1) await beforeRetry();
        const cap = Math.min(
          this.options.maxDelayMs ?? 60_000,
          (this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
        );
        // Cut short by a stop: the event stays after the saved cursor and is sent again later.
        await this.pause(Math.random() * cap);
      }
    }
    this.options.log?.('warn', 'webhook event dead-lettered', {
      subscription: subscription.id,
      eventId: event.id,
      lastError,
    });
    this.options.onAttempt?.('dead-lettered', subscription.id);
    await this.subscriptions.recordDeadLetter(
      subscription.id,
      { ...JSON.parse(event.body), id: event.id, sequence: position },
      max,
      lastError,
    );
  }

  private pause(ms: number): Promise<void> {
    const signal = this.stopped.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
