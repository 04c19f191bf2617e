import { setTimeout as delay } from 'node:timers/promises';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Position as EsdbPosition,
} from '@eventstore/db-client';
import type { RecordedEvent, Subscription } from '../event-store.port.js';
import { isUnavailable, translateError } from './esdb-errors.js';
import { compareEsdbPositions, toEsdbPosition } from './esdb-position.js';

/** Opens the client's catch-up subscription to `$all`, strictly after `after` when given. */
export type OpenSubscription = (
  after: EsdbPosition | undefined,
  highWaterMark: number,
) => AllStreamSubscription;
/** Maps and filters one client event; null drops it. */
export type MapEvent = (resolved: AllStreamResolvedEvent) => RecordedEvent | null;

export interface EsdbSubscriptionConfig {
  readonly open: OpenSubscription;
  readonly map: MapEvent;
  /** Exclusive start; from the beginning when undefined. */
  readonly after: EsdbPosition | undefined;
  readonly batchSize: number;
  readonly retryDelayMs?: number;
  readonly onClose?: () => void;
}

const MAX_RETRY_DELAY_MS = 5_000;

/**
 * The port's {@link Subscription} over the client's catch-up subscription to `$all`.
 *
 * Back-pressure: the client's subscription is a Node stream whose buffer holds at most `batchSize`
 * events; while the consumer does not ask for the next batch, nothing reads from it, so it stops
 * reading its gRPC call, and HTTP/2 flow control stops the server.
 *
 * Resumption: when the server becomes unreachable (or ends the call), the subscription opens a
 * new one after the last position it delivered, with a growing delay, until it is closed.
 */
export class EsdbSubscription implements Subscription {
  private closed = false;
  private current: AllStreamSubscription | null = null;

  private readonly open: OpenSubscription;
  private readonly map: MapEvent;
  private after: EsdbPosition | undefined;
  private readonly batchSize: number;

  constructor(private readonly config: EsdbSubscriptionConfig) {
    this.open = config.open;
    this.map = config.map;
    this.after = config.after;
    this.batchSize = config.batchSize;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly RecordedEvent[]> {
    let failures = 0;
    while (!this.closed) {
      const source = this.open(this.after, this.batchSize);
      this.current = source;
      try {
        for await (const raw of batches(source, this.batchSize)) {
          failures = 0;
          const batch = raw
            .map(this.map)
            .filter((event): event is RecordedEvent => event !== null && this.isNew(event));
          if (batch.length === 0) continue;
          this.after = toEsdbPosition(batch[batch.length - 1].position);
          yield batch;
        }
      } catch (error) {
        if (this.closed) return;
        if (!isUnavailable(error)) throw translateError(error);
      } finally {
        this.current = null;
        await stop(source);
      }
      if (this.closed) return;
      failures += 1;
      await delay(Math.min((this.config.retryDelayMs ?? 200) * failures, MAX_RETRY_DELAY_MS));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.config.onClose?.();
    if (this.current) await stop(this.current);
  }

  /** A resumed subscription starts strictly after `after`; this guards against a repeat anyway. */
  private isNew(event: RecordedEvent): boolean {
    return this.after === undefined || compareEsdbPositions(toEsdbPosition(event.position), this.after) > 0;
  }
}

/**
 * Groups the events already buffered into batches of at most `size`: a batch is handed over as soon
 * as the buffer is empty, so a live event is not held back waiting for others.
 */
async function* batches(
  source: AllStreamSubscription,
  size: number,
): AsyncGenerator<AllStreamResolvedEvent[]> {
  let batch: AllStreamResolvedEvent[] = [];
  for await (const item of source as AsyncIterable<AllStreamResolvedEvent>) {
    batch.push(item);
    if (batch.length >= size || source.readableLength === 0) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Cancels the gRPC call and ends the Node stream, so that a pending read returns. */
async function stop(source: AllStreamSubscription): Promise<void> {
  await source.unsubscribe().catch(() => undefined);
  source.destroy();
}
