import { randomUUID } from 'node:crypto';
import type { EventStore } from '@cadre/event-store';
import { SubscriptionRunner, type Lease, type LeaseProvider, type RunnerStatus } from '@cadre/subscriptions';
import type { CertificationEventMapper } from '../certification-event-mapper.js';
import { DeliveryQueue } from './delivery-queue.js';
import { SubjectOrderedDeliverer, type DelivererOptions } from './subject-ordered-deliverer.js';
import { WebhookDeliveryConsumer } from './webhook-delivery.js';
import type { WebhookSubscriptions } from './webhook-subscriptions.js';

export interface WebhookDispatcherOptions extends DelivererOptions {
  /**
   * How often the subscriptions are looked at: new and enabled ones start delivering, deleted and
   * disabled ones stop.
   */
  readonly subscriptionsPollMs?: number;
  /** Events per batch a subscription's runner reads and queues (with its cursor). */
  readonly batchSize?: number;
  /** How often a runner without its lease tries to take it (another worker's runner died). */
  readonly leaseRetryMs?: number;
}

interface Delivery {
  readonly runner: SubscriptionRunner;
  readonly deliverer: SubjectOrderedDeliverer;
}

/**
 * Delivers the certification events to every webhook subscription (decision 0025). Per
 * subscription, a subscription runner (libs/subscriptions, the one way Cadre follows the log)
 * queues the events the subscription wants, one worker at a time under the subscription's lease;
 * and on every worker a deliverer posts the queued events, in order per subject, up to the
 * subscription's `maxInFlight` across all workers. A deliverer's claims belong to this process's
 * deliverer lease (on the same lease connection): a worker that dies drops it, and another
 * worker's deliverers claim its events again at their next look (`pollMs`).
 */
export class WebhookDispatcher {
  private readonly deliveries = new Map<string, Delivery>();
  /** Deliveries of deleted or disabled subscriptions being stopped. */
  private readonly ending = new Set<Promise<void>>();
  private readonly queue: DeliveryQueue;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopping = false;
  private ownerLease: Lease | null = null;
  private ownerName: string | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly mapper: CertificationEventMapper,
    private readonly leases: LeaseProvider,
    private readonly options: WebhookDispatcherOptions = {},
  ) {
    this.queue = new DeliveryQueue(subscriptions);
  }

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
          if (!this.stopping) this.timer = setTimeout(poll, this.options.subscriptionsPollMs ?? 1000);
        });
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.all([...this.deliveries.values()].map((delivery) => this.stopDelivery(delivery)));
    this.deliveries.clear();
    await Promise.all([...this.ending]);
    const lease = this.ownerLease;
    this.ownerLease = null;
    await lease?.release();
  }

  /** The runners' status, one per subscription this process queues or stands by for. */
  status(): RunnerStatus[] {
    return [...this.deliveries.values()].map((delivery) => delivery.runner.status());
  }

  /** The lease name this process's claims are made under now; null while it holds none. */
  claimsOwner(): string | null {
    return this.ownerLease?.held ? this.ownerName : null;
  }

  /**
   * Starts the delivery of each new (or newly enabled) subscription and stops that of deleted and
   * disabled ones: a disabled subscription queues nothing, its cursor stays where it stood, and
   * `enable` has it start again from there at the next look.
   */
  async pollOnce(): Promise<void> {
    await this.takeOwnerLease();
    // Ids only: the secrets are unsealed by each delivery when it reads its subscription.
    const active = new Set(await this.subscriptions.activeIds());
    for (const [id, delivery] of this.deliveries) {
      if (active.has(id)) continue;
      this.deliveries.delete(id);
      // Not waited for here: its attempts in flight may wait on a receiver for their time limit.
      const stopped = this.stopDelivery(delivery).finally(() => this.ending.delete(stopped));
      this.ending.add(stopped);
    }
    for (const id of active) {
      if (this.stopping || this.deliveries.has(id)) continue;
      const deliverer = new SubjectOrderedDeliverer(
        id,
        this.subscriptions,
        this.queue,
        this.store,
        this.mapper,
        () => this.claimsOwner(),
        this.options,
      );
      const consumer = new WebhookDeliveryConsumer(id, this.subscriptions, this.queue, this.mapper, () =>
        deliverer.wake(),
      );
      const runner = new SubscriptionRunner(this.store, consumer, {
        leases: this.leases,
        batchSize: this.options.batchSize ?? 500,
        leaseRetryMs: this.options.leaseRetryMs ?? 1000,
        log: (level, message, fields) => this.options.log?.(level, message, { subscription: id, ...fields }),
      });
      this.deliveries.set(id, { runner, deliverer });
      runner.start();
      deliverer.start();
    }
  }

  /**
   * The lease this process's claims belong to, taken again under a new name when it was lost (a
   * claim made under the lost one may already be another worker's).
   */
  private async takeOwnerLease(): Promise<void> {
    if (this.ownerLease?.held || this.stopping) return;
    const name = `webhook-deliverer-${randomUUID()}`;
    const lease = await this.leases.tryAcquire(name);
    this.ownerLease = lease;
    this.ownerName = lease ? name : null;
  }

  private async stopDelivery(delivery: Delivery): Promise<void> {
    await Promise.all([delivery.runner.stop(), delivery.deliverer.stop()]);
  }
}
