import type { EventStore, RecordedEvent } from '@cadre/event-store';
import { toStructuredJson, type CertificationEventMapper } from '../certification-event-mapper.js';
import type { ClaimedEvent, DeliveryQueue } from './delivery-queue.js';
import type { AttemptOutcome, EndpointHealthOptions } from './endpoint-health.js';
import { postSignedAnswer } from './post-signed.js';
import type { WebhookDeliveryOptions } from './webhook-delivery.js';
import type { WebhookSubscription, WebhookSubscriptions } from './webhook-subscriptions.js';

/** Standard Webhooks' retry schedule: the delays before the 2nd … 8th attempt. */
export const STANDARD_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** The delay before the next attempt after `failed` failed attempts; null once the schedule is spent. */
export function retryDelayMs(options: WebhookDeliveryOptions, failed: number): number | null {
  const delays = options.retryDelaysMs ?? STANDARD_RETRY_DELAYS_MS;
  if (failed < 1 || failed > delays.length) return null;
  const jitter = options.retryJitter ?? 0.2;
  return delays[failed - 1]! * (options.retryScale ?? 1) * (1 + jitter * (2 * Math.random() - 1));
}

export interface DelivererOptions extends WebhookDeliveryOptions {
  /** When a receiver counts as failing, how it is probed, when it is disabled. */
  readonly health?: EndpointHealthOptions;
  /** How often the queue is looked at without a wake-up (another worker's events, retries due). */
  readonly pollMs?: number;
}

type Deliverable = WebhookSubscription & { secrets: string[] };

/**
 * Posts one subscription's queued events (decision 0025): claims the due heads of their subjects
 * up to the subscription's `maxInFlight` (see {@link DeliveryQueue.claim}), posts them at once,
 * each body rebuilt from the log with the feed's mapper, and records each outcome: delivered
 * (out of the queue), failed (due again after its retry delay, still holding its subject) or,
 * its schedule spent, dead-lettered (its subject moves on). It claims again as soon as one
 * finishes, when new events are queued here, when a retry falls due, and every `pollMs`.
 */
export class SubjectOrderedDeliverer {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Taken by the receiver (2xx), to be recorded by the next claim (still counted in flight). */
  private readonly acks = new Map<string, ClaimedEvent>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  /** Its own folds: the runner sharing `mapper` is ahead in the log (see CertificationEventMapper.fork). */
  private readonly mapper: CertificationEventMapper;

  constructor(
    private readonly subscriptionId: string,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly store: EventStore,
    mapper: CertificationEventMapper,
    /** The lease its claims are made under; null while the process holds none. */
    private readonly owner: () => string | null,
    private readonly options: DelivererOptions = {},
  ) {
    this.mapper = mapper.fork();
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run().finally(() => {
      this.loop = null;
    });
  }

  /** Stops claiming; resolves once the attempts in flight have ended and been recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  /** Look at the queue now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const poll = this.options.pollMs ?? 1000;
      let wait = poll;
      const owner = this.owner();
      this.woken = false;
      if (owner) {
        try {
          const delivered = [...this.acks.values()];
          const claim = await this.queue.claim(
            this.subscriptionId,
            owner,
            [...this.inFlight.keys()],
            delivered.map((e) => e.seq),
          );
          await this.settle(owner, delivered, claim.acknowledged);
          if (!claim.exists) break;
          // Sent without waiting: the next claim runs while these bodies are read and posted.
          if (claim.claimed.length > 0) this.send(owner, claim.claimed);
          if (claim.nextDueAt) wait = Math.min(poll, Math.max(0, claim.nextDueAt.getTime() - Date.now()));
          failures = 0;
        } catch (error) {
          wait = Math.min(30_000, 500 * 2 ** failures++);
          this.log('error', 'webhook delivery failed to claim; retrying', { error: String(error) });
        }
      }
      await this.sleep(wait);
    }
    await Promise.allSettled([...this.inFlight.values()]);
    // What the receiver took since the last claim is recorded before the deliverer stops.
    const owner = this.owner();
    const delivered = [...this.acks.values()];
    if (owner && delivered.length > 0) {
      try {
        const claim = await this.queue.claim(
          this.subscriptionId,
          owner,
          [...this.inFlight.keys()],
          delivered.map((e) => e.seq),
          false,
        );
        await this.settle(owner, delivered, claim.acknowledged);
      } catch (error) {
        // Left claimed: sent again once this lease is gone (at least once).
        this.log('error', 'webhook deliveries not recorded on stop', { error: String(error) });
      }
    }
  }

  /**
   * After a claim: the events delivered before it are out of flight, recorded by the claim when
   * the receiver was healthy (`acknowledged`), else each recorded now on the full path (its
   * health may change with it).
   */
  private async settle(
    owner: string,
    delivered: readonly ClaimedEvent[],
    acknowledged: boolean,
  ): Promise<void> {
    for (const event of delivered) {
      if (!acknowledged) {
        try {
          await this.recordOutcome(owner, event, { delivered: true }, null);
        } catch (error) {
          // Its claim lapses with this deliverer's next claim (no longer in flight): sent again.
          this.log('error', 'webhook delivery failed before its outcome was recorded', {
            error: String(error),
          });
        }
      } else this.options.onAttempt?.('delivered', this.subscriptionId);
      this.acks.delete(event.seq);
      this.inFlight.delete(event.seq);
    }
  }

  /**
   * Posts the claimed events, each counted in flight (so not claimed again by this deliverer)
   * until its outcome is recorded. When the bodies cannot be had (the vault or the store is down)
   * the claims are left to be taken again by the next claim.
   */
  private send(owner: string, claimed: readonly ClaimedEvent[]): void {
    const prepared = (async () => {
      const subscription = await this.subscriptions.forDelivery(this.subscriptionId);
      return subscription ? { subscription, bodies: await this.bodies(claimed) } : null;
    })();
    for (const event of claimed) {
      let failed = false;
      const attempt = prepared
        .then((ready) =>
          ready
            ? this.deliver(ready.subscription, owner, event, ready.bodies.get(event.eventId) ?? null)
            : undefined,
        )
        .catch((error: unknown) => {
          failed = true;
          this.log('error', 'webhook delivery failed before its outcome was recorded', {
            error: String(error),
          });
        })
        .finally(() => {
          // Delivered: in flight until the next claim records it (see settle).
          if (!this.acks.has(event.seq)) this.inFlight.delete(event.seq);
          // After a failure the next look waits for the poll (a vault or store outage is not spun on).
          if (!failed) this.wake();
        });
      this.inFlight.set(event.seq, attempt);
    }
  }

  /** The bodies as the feed gives them, rebuilt from the log now (an erasure shows). */
  private async bodies(claimed: readonly ClaimedEvent[]): Promise<Map<string, string>> {
    const recorded = await Promise.all(
      claimed.map(
        async (e) => (await this.store.readStream(e.stream, { fromRevision: e.revision, maxCount: 1 }))[0],
      ),
    );
    const events = recorded.filter((e): e is RecordedEvent => e !== undefined);
    const bodies = new Map<string, string>();
    for (const e of await this.mapper.map(events)) {
      bodies.set(e.cloudEvent.id, JSON.stringify(toStructuredJson(e.cloudEvent)));
    }
    return bodies;
  }

  private async deliver(
    subscription: Deliverable,
    owner: string,
    event: ClaimedEvent,
    body: string | null,
  ): Promise<void> {
    if (body === null) {
      // Not in the log as a public event (cannot happen short of a rewritten log): nothing to send.
      this.log('warn', 'webhook event no longer in the log; skipped', { eventId: event.eventId });
      await this.queue.delivered(this.subscriptionId, event.seq, owner);
      return;
    }
    let outcome: AttemptOutcome;
    let error: string | null = null;
    try {
      const answer = await postSignedAnswer(
        subscription.url,
        subscription.secrets,
        event.eventId,
        body,
        this.options.timeoutMs,
        event.redelivery ? { 'cadre-redelivery': event.redelivery } : {},
        this.options.blockPrivateAddresses ?? false,
      );
      outcome =
        answer.status >= 200 && answer.status < 300
          ? { delivered: true }
          : { delivered: false, status: answer.status, retryAfterMs: answer.retryAfterMs };
      if (!outcome.delivered) error = `HTTP ${answer.status}`;
    } catch (failure) {
      outcome = { delivered: false, status: null, retryAfterMs: null };
      error = failure instanceof Error ? failure.message : String(failure);
    }
    if (outcome.delivered) {
      // Recorded with the next claim, in one statement with the others delivered meanwhile.
      this.acks.set(event.seq, event);
      return;
    }
    await this.recordOutcome(owner, event, outcome, error);
  }

  private async recordOutcome(
    owner: string,
    event: ClaimedEvent,
    outcome: AttemptOutcome,
    error: string | null,
  ): Promise<void> {
    const recorded = await this.queue.record(this.subscriptionId, event, owner, outcome, error, {
      health: this.options.health,
      retryDelay: (attempts) => retryDelayMs(this.options, attempts),
    });
    if (!recorded) return;
    if (recorded.previous !== recorded.health.state) {
      this.log(
        recorded.health.state === 'active' ? 'info' : 'warn',
        `webhook receiver ${recorded.health.state}`,
        {
          state: recorded.health.state,
          reason: recorded.health.reason,
        },
      );
    }
    if (outcome.delivered) this.options.onAttempt?.('delivered', this.subscriptionId);
    else if (recorded.deadLettered) {
      this.log('warn', 'webhook event dead-lettered', { eventId: event.eventId, lastError: error });
      this.options.onAttempt?.('dead-lettered', this.subscriptionId);
    } else this.options.onAttempt?.('failed', this.subscriptionId);
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.options.log?.(level, message, { subscription: this.subscriptionId, ...fields });
  }
}
