import http from 'node:http';
import https from 'node:https';
import { randomIds } from '@cadre/kernel';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { PrivateAddressError, guardedLookup, isPrivateAddress } from './address-guard.js';
import type { EventStore, RecordedEvent, Subscription } from '@cadre/event-store';
import { CERTIFICATION_FILTER } from '../certification-types.js';
import { CertificationEventMapper, toStructuredJson } from '../certification-event-mapper.js';
import type { WebhookSubscription, WebhookSubscriptions } from './webhook-subscriptions.js';

export const CLOUDEVENT_JSON = 'application/cloudevents+json';

export interface WebhookDispatcherOptions {
  /** Attempts per event before it goes to the subscription's dead letters. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** The safety timer: how often every subscription is looked at even without a wake-up. */
  readonly pollMs?: number;
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

/**
 * Connections to receivers are kept alive between deliveries: a subscription's events go one
 * after the other, and a new TCP (and TLS) connection per event would cost more than the event.
 * The address guard still runs on every new connection.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
} as const;

/** Signs and POSTs one body per Standard Webhooks; resolves with the status, rejects on a network error. */
export async function postSigned(
  url: string,
  secrets: string | readonly string[],
  id: string,
  body: string,
  timeoutMs = 10_000,
  extraHeaders: Record<string, string> = {},
  blockPrivateAddresses = false,
): Promise<number> {
  const timestamp = new Date();
  // One signature per secret in force (a rotation's overlap): the receiver accepts either.
  const signature = (typeof secrets === 'string' ? [secrets] : secrets)
    .map((secret) => new Webhook(secret).sign(id, timestamp, body))
    .join(' ');
  const target = new URL(url);
  if (blockPrivateAddresses) {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isPrivateAddress(host)) throw new PrivateAddressError(host, host);
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': CLOUDEVENT_JSON,
          'content-length': Buffer.byteLength(body),
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
          ...extraHeaders,
        },
        timeout: timeoutMs,
        agent: target.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'],
        ...(blockPrivateAddresses ? { lookup: guardedLookup as never } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Events read per page of a subscription's delivery; its cursor is saved once per page. */
const PAGE = 100;

interface DeliveryPage {
  readonly read: readonly RecordedEvent[];
  /** The bodies to deliver, by position: the events the subscription wants. */
  readonly byPosition: ReadonlyMap<string, { readonly id: string; readonly body: string }>;
}

/**
 * Delivers the certification events to each subscription, at least once and in order: one loop
 * per subscription (a slow or failing receiver stalls only its own), the subscription's cursor
 * advanced after the events handled. A failing event is retried with exponential backoff and
 * jitter; after `maxAttempts` it goes to the dead letters and delivery moves on.
 *
 * Delivery wakes on new events: the dispatcher follows the store with a subscription of its own
 * (the store's change notifier wakes it, as it wakes the projections and the feed's long-poll),
 * and every batch it receives wakes each idle subscription's loop — a busy one runs again as soon
 * as it is done. A slow timer (`pollMs`) also wakes them, as a safety net: subscriptions created
 * with `from` a past cursor, or a wake-up lost while the store was unreachable.
 */
export class WebhookDispatcher {
  /** Subscriptions this dispatcher is delivering to right now. */
  private readonly busy = new Set<string>();
  /** Subscriptions woken while busy: delivered to again as soon as their run ends. */
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private stopped = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private tail: Subscription | null = null;
  /** This dispatcher's name on the delivery leases it takes. */
  private readonly owner = `dispatcher-${randomIds()}`;
  private following: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly mapper: CertificationEventMapper,
    private readonly options: WebhookDispatcherOptions = {},
  ) {}

  start(): void {
    this.stopping = false;
    this.stopped = new AbortController();
    this.following = this.followStore();
    const safety = () => {
      if (this.stopping) return;
      this.wake();
      this.timer = setTimeout(safety, this.options.pollMs ?? 1000);
    };
    safety();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.tail?.close();
    await this.following;
    await this.scanning;
    await Promise.allSettled([...this.running]);
  }

  /**
   * Starts a delivery run for every active subscription that has none (and marks the busy ones to
   * run again). Never waits for deliveries; calls while a scan is under way coalesce into one more.
   */
  wake(): void {
    if (this.stopping) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.pollOnce()
      .catch((error: unknown) => this.options.log?.('error', 'webhook poll failed', { error: String(error) }))
      .finally(() => {
        this.scanning = null;
        if (this.rescan) {
          this.rescan = false;
          this.wake();
        }
      });
  }

  async pollOnce(): Promise<void> {
    for (const subscription of await this.subscriptions.active()) this.launch(subscription);
  }

  private launch(subscription: WebhookSubscription & { secrets: string[] }): void {
    if (this.stopping) return;
    if (this.busy.has(subscription.id)) {
      this.again.add(subscription.id);
      return;
    }
    this.busy.add(subscription.id);
    const run = this.deliver(subscription)
      .catch((error: unknown) =>
        this.options.log?.('error', 'webhook delivery failed', {
          subscription: subscription.id,
          error: String(error),
        }),
      )
      .finally(() => {
        this.busy.delete(subscription.id);
        this.running.delete(run);
        // Woken meanwhile: events arrived after this run's last read. (deliver re-reads the row.)
        if (this.again.delete(subscription.id)) this.launch(subscription);
      });
    this.running.add(run);
  }

  /**
   * Follows the store from its head, only to be woken: each batch of certification events wakes
   * the subscriptions' loops (which read from their own cursors). Resubscribes after a failure.
   */
  private async followStore(): Promise<void> {
    let delay = 100;
    while (!this.stopping) {
      try {
        const head = await this.store.headPosition();
        if (this.stopping) break;
        this.tail = this.store.subscribeToAll({
          after: head ?? undefined,
          filter: CERTIFICATION_FILTER,
          batchSize: 1000,
        });
        // Events committed between the last scan and the head just read.
        this.wake();
        for await (const batch of this.tail) {
          if (batch.length > 0) this.wake();
          delay = 100;
        }
      } catch (error) {
        this.options.log?.('warn', 'webhook wake-up subscription failed: polling until it is back', {
          error: String(error),
        });
      } finally {
        this.tail = null;
      }
      if (this.stopping) break;
      await this.pause(delay);
      delay = Math.min(delay * 2, 5000);
    }
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

  /** How long a delivery lease lasts: one attempt and the longest backoff wait, with room to spare. */
  private get leaseMs(): number {
    return (this.options.timeoutMs ?? 10_000) + (this.options.maxDelayMs ?? 60_000) + 30_000;
  }

  /**
   * Delivers under the subscription's lease (several workers may run: one delivers to a
   * subscription at a time, so order holds), then releases it. The lease is a row, not a session
   * lock: a slow receiver holds no database connection, so it cannot exhaust the pool that the
   * other subscriptions' deliveries (and the read models) need.
   */
  private async deliver(subscription: WebhookSubscription & { secrets: string[] }): Promise<void> {
    // Taking the lease re-reads the row: the cursor as another worker may have moved it.
    const fresh = await this.subscriptions.lease(subscription.id, this.owner, this.leaseMs);
    if (!fresh) return;
    try {
      await this.deliverLocked(fresh);
    } finally {
      await this.subscriptions.releaseLease(subscription.id, this.owner);
    }
  }

  /**
   * Page after page from the subscription's cursor until it has caught up with the log. The next
   * page is read and mapped while this one is being delivered (one page ahead, no more), so the
   * receiver does not wait for the database between pages.
   */
  private async deliverLocked(subscription: WebhookSubscription & { secrets: string[] }): Promise<void> {
    let renewedAt = Date.now();
    let next: Promise<DeliveryPage> | null = this.readPage(subscription, subscription.cursor);
    while (next) {
      const page: DeliveryPage = await next;
      const { read, byPosition } = page;
      if (read.length === 0) return;
      next = read.length < PAGE ? null : this.readPage(subscription, read[read.length - 1].position);
      // Abandoned when this run stops early: its failure is not this run's.
      next?.catch(() => undefined);
      // The cursor is saved once per page (and before a retry waits, or when the lease needs
      // extending), not after every event: at least once holds (a crash re-sends at most the
      // page's delivered events, with the same webhook-id).
      let handled: string | null = null;
      let saved: string | null = null;
      const save = async (): Promise<void> => {
        if (handled === saved && Date.now() - renewedAt < this.leaseMs / 3) return;
        if (!(await this.subscriptions.renewLease(subscription.id, this.owner, this.leaseMs, handled))) {
          throw new Error('the delivery lease was lost to another worker');
        }
        renewedAt = Date.now();
        saved = handled;
      };
      try {
        for (const recorded of read) {
          if (this.stopping) return;
          const event = byPosition.get(recorded.position);
          if (event) {
            if (Date.now() - renewedAt > this.leaseMs / 3) await save();
            await this.attempt(subscription, event.id, recorded.position, event.body, save);
          }
          handled = recorded.position;
        }
      } finally {
        // The events handled are saved (after a lost lease, this fails too and writes nothing).
        if (handled !== saved) {
          await save().catch((error: unknown) =>
            this.options.log?.('warn', 'webhook cursor not saved', {
              subscription: subscription.id,
              error: String(error),
            }),
          );
        }
      }
    }
  }

  /** A page of the log after `after`, with the bodies of the events this subscription wants. */
  private async readPage(subscription: WebhookSubscription, after: string | null): Promise<DeliveryPage> {
    const read = await this.store.readAll({
      after: after ?? undefined,
      limit: PAGE,
      filter: CERTIFICATION_FILTER,
    });
    const byPosition = new Map<string, { id: string; body: string }>();
    for (const e of await this.mapper.map(read)) {
      if (
        subscription.eventTypes.includes(e.cloudEvent.type) &&
        (subscription.jurisdictions.includes('*') || subscription.jurisdictions.includes(e.jurisdiction))
      ) {
        byPosition.set(e.position, {
          id: e.cloudEvent.id,
          body: JSON.stringify(toStructuredJson(e.cloudEvent)),
        });
      }
    }
    return { read, byPosition };
  }

  private async attempt(
    subscription: WebhookSubscription & { secrets: string[] },
    id: string,
    position: string,
    body: string,
    /** Saves the cursor of the events already handled: called before a retry waits. */
    beforeRetry: () => Promise<void> = async () => undefined,
  ): Promise<void> {
    const max = this.options.maxAttempts ?? 8;
    let lastError = '';
    for (let attempt = 1; attempt <= max; attempt += 1) {
      try {
        const status = await postSigned(
          subscription.url,
          subscription.secrets,
          id,
          body,
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
      if (this.stopping) throw new Error('stopping');
      if (attempt < max) {
        if (attempt === 1) await beforeRetry();
        const cap = Math.min(
          this.options.maxDelayMs ?? 60_000,
          (this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
        );
        // Cut short by stop(): the event stays after the saved cursor and is sent again later.
        await this.pause(Math.random() * cap);
        if (this.stopping) throw new Error('stopping');
      }
    }
    this.options.log?.('warn', 'webhook event dead-lettered', {
      subscription: subscription.id,
      eventId: id,
      lastError,
    });
    this.options.onAttempt?.('dead-lettered', subscription.id);
    await this.subscriptions.recordDeadLetter(
      subscription.id,
      { ...JSON.parse(body), id, sequence: position },
      max,
      lastError,
    );
  }
}
