import type { EventStore } from '@cadre/event-store';
import { SubscriptionRunner, type LeaseProvider, type RunnerStatus } from '@cadre/subscriptions';
import type { CertificationEventMapper } from '../certification-event-mapper.js';
import { WebhookDeliveryConsumer, type WebhookDeliveryOptions } from './webhook-delivery.js';
import type { WebhookSubscriptions } from './webhook-subscriptions.js';

export interface WebhookDispatcherOptions extends WebhookDeliveryOptions {
  /** How often the subscriptions are looked at: new ones start delivering, deleted ones stop. */
  readonly pollMs?: number;
  /** Events per batch a subscription's runner reads (the cursor is saved once per batch). */
  readonly batchSize?: number;
  /** How often a runner without its lease tries to take it (another worker's delivery died). */
  readonly leaseRetryMs?: number;
}

/**
 * Delivers the certification events to every webhook subscription: one subscription runner per
 * subscription (libs/subscriptions, the one way Cadre follows the log), so delivery resumes from
 * the subscription's cursor under its lease — one worker at a time per subscription, order kept;
 * a worker that dies drops its lease connection and another takes over within `leaseRetryMs` —
 * and wakes on new events as the read models do. A slow or failing receiver stalls only its own
 * subscription. Every `pollMs` the dispatcher starts runners for new subscriptions and stops those
 * of deleted ones.
 */
export class WebhookDispatcher {
  private readonly runners = new Map<string, SubscriptionRunner>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly mapper: CertificationEventMapper,
    private readonly leases: LeaseProvider,
    private readonly options: WebhookDispatcherOptions = {},
  ) {}

  start(): void {
    this.stopping = false;
    const poll = (): void => {
      if (this.stopping) return;
      this.polling = this.pollOnce()
        .catch((error: unknown) =>
          this.options.log?.('error', 'webhook poll failed', { error: String(error) }),
        )
        .finally(() => {
          this.polling = null;
          if (!this.stopping) this.timer = setTimeout(poll, this.options.pollMs ?? 1000);
        });
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }

  /** The runners' status, one per subscription this process delivers or stands by for. */
  status(): RunnerStatus[] {
    return [...this.runners.values()].map((runner) => runner.status());
  }

  /** Starts a runner for each new subscription and stops the runners of deleted ones. */
  async pollOnce(): Promise<void> {
    // Ids only: the secrets are unsealed by each delivery when it reads its subscription.
    const active = new Set(await this.subscriptions.activeIds());
    for (const [id, runner] of this.runners) {
      if (active.has(id)) continue;
      this.runners.delete(id);
      await runner.stop();
    }
    for (const id of active) {
      if (this.stopping || this.runners.has(id)) continue;
      const consumer = new WebhookDeliveryConsumer(id, this.subscriptions, this.mapper, this.options);
      const runner = new SubscriptionRunner(this.store, consumer, {
        leases: this.leases,
        batchSize: this.options.batchSize ?? 100,
        leaseRetryMs: this.options.leaseRetryMs ?? 1000,
        log: (level, message, fields) => this.options.log?.(level, message, { subscription: id, ...fields }),
      });
      this.runners.set(id, runner);
      runner.start();
    }
  }
}
