import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { PrivateAddressError, guardedLookup, isPrivateAddress } from './address-guard.js';
import type { EventStore } from '@cadre/event-store';
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

/**
 * Delivers the certification events to each subscription, at least once and in order: one loop
 * per subscription (a slow or failing receiver stalls only its own), the subscription's cursor
 * advanced after each event handled. A failing event is retried with exponential backoff and
 * jitter; after `maxAttempts` it goes to the dead letters and delivery moves on.
 */
export class WebhookDispatcher {
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly mapper: CertificationEventMapper,
    private readonly options: WebhookDispatcherOptions = {},
  ) {}

  start(): void {
    this.stopping = false;
    const poll = () => {
      if (this.stopping) return;
      void this.pollOnce()
        .catch((error: unknown) =>
          this.options.log?.('error', 'webhook poll failed', { error: String(error) }),
        )
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(poll, this.options.pollMs ?? 200);
        });
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  async pollOnce(): Promise<void> {
    for (const subscription of await this.subscriptions.active()) {
      if (this.busy.has(subscription.id)) continue;
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
        });
      this.running.add(run);
    }
  }

  /**
   * Delivers under the subscription's advisory lock (several workers may run: one delivers to a
   * subscription at a time, so order holds), then unlocks.
   */
  private async deliver(subscription: WebhookSubscription & { secrets: string[] }): Promise<void> {
    const client = await this.subscriptions.pool.connect();
    try {
      const { rows } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_lock(4711006, hashtext($1)) AS got',
        [subscription.id],
      );
      if (!rows[0]?.got) return;
      try {
        // Re-read the cursor under the lock: another worker may have moved it.
        const fresh = (await this.subscriptions.active()).find((s) => s.id === subscription.id);
        if (fresh) await this.deliverLocked(fresh);
      } finally {
        await client.query('SELECT pg_advisory_unlock(4711006, hashtext($1))', [subscription.id]);
      }
    } finally {
      client.release();
    }
  }

  private async deliverLocked(subscription: WebhookSubscription & { secrets: string[] }): Promise<void> {
    const read = await this.store.readAll({
      after: subscription.cursor ?? undefined,
      limit: 100,
      filter: CERTIFICATION_FILTER,
    });
    if (read.length === 0) return;
    const byPosition = new Map(
      (await this.mapper.map(read))
        .filter(
          (e) =>
            subscription.eventTypes.includes(e.cloudEvent.type) &&
            (subscription.jurisdictions.includes('*') || subscription.jurisdictions.includes(e.jurisdiction)),
        )
        .map((e) => [e.position, e] as const),
    );
    for (const recorded of read) {
      if (this.stopping) return;
      const event = byPosition.get(recorded.position);
      if (event) {
        const body = JSON.stringify(toStructuredJson(event.cloudEvent));
        await this.attempt(subscription, event.cloudEvent.id, event.position, body);
      }
      await this.subscriptions.advance(subscription.id, recorded.position);
    }
  }

  private async attempt(
    subscription: WebhookSubscription & { secrets: string[] },
    id: string,
    position: string,
    body: string,
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
        const cap = Math.min(
          this.options.maxDelayMs ?? 60_000,
          (this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
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
