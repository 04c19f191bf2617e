import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { setTimeout as delay } from 'node:timers/promises';
import { canonicalize } from 'json-canonicalize';
import { WrongExpectedRevisionError } from '../event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventLocation,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamIntegrity,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { canonicalEventJson, chainHash, verifyChain } from '../hash-chain.js';
import { checkEventSize, validateAppend } from '../event-validation.js';
import { translateError } from './esdb-errors.js';
import { toEventData, toRecordedEvent } from './esdb-event-mapping.js';
import { matchesFilter, serverFilter } from './esdb-filter.js';
import { compareEsdbPositions, formatPosition, toEsdbPosition } from './esdb-position.js';
import { EsdbReads } from './esdb-reads.js';
import { findRepeat } from './esdb-repeat.js';
import { EsdbSubscription } from './esdb-subscription.js';
import type { Upcast } from '../upcasting/upcaster-chain.js';

export interface EsdbEventStoreOptions {
  /**
   * Prepended to every EventStoreDB stream name and stripped on read, so that several stores can
   * share one server without seeing each other (the contract suite against a real server).
   */
  readonly streamPrefix?: string;
  /** Attempts of an `any` / `stream_exists` append that loses a race (re-read, re-hash, retry). */
  readonly appendAttempts?: number;
  /** How many of the stream's last events an append checks for a retried event id. */
  readonly retryWindow?: number;
  /**
   * Turns each event read into its type's current schema version (an {@link UpcasterChain}'s
   * `upcast`): applied to readStream, readAll and subscriptions, never to what integrity reads.
   */
  readonly upcast?: Upcast;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client`). The per-stream hash chain lives in
 * each event's metadata; to compute it the adapter reads the stream's head and appends with that
 * exact revision, so a concurrent writer makes the append fail instead of forking the chain.
 */
export class EsdbEventStore implements EventStore {
  private readonly prefix: string;
  private readonly attempts: number;
  private readonly retryWindow: number;
  private readonly reads: EsdbReads;
  private readonly upcast: Upcast;
  private readonly subscriptions = new Set<EsdbSubscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.prefix = options.streamPrefix ?? '';
    this.attempts = options.appendAttempts ?? 20;
    this.retryWindow = options.retryWindow ?? 100;
    this.upcast = options.upcast ?? ((event) => event);
    this.reads = new EsdbReads(client, this.prefix, this.upcast);
  }

  /** `esdb://host:2113?tls=false` and the other forms of EventStoreDB's connection strings. */
  static connect(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateAppend(stream, events);
    const expected: ExpectedRevision = options.expectedRevision ?? 'any';
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new WrongExpectedRevisionError(stream, expected, 'no_stream');
    }
    events.forEach((event, i) => checkEventSize(i, canonicalize(event.data), canonicalize(event.metadata)));
    const name = this.prefix + stream;
    let actual: number | 'no_stream' = 'no_stream';
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      // Newest first: the head for the hash chain and the recent ids for idempotent retries.
      const tail = await this.reads.readRaw(name, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: this.retryWindow + events.length,
      });
      const repeat = findRepeat(stream, events, this.mapAll(tail));
      if (repeat) return repeat;
      const head = tail[0]?.event;
      actual = head ? Number(head.revision) : 'no_stream';
      if (!satisfies(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);
      const headHash = head ? (toRecordedEvent(tail[0], this.prefix)?.hash ?? null) : null;
      try {
        return await this.write(name, stream, events, actual, headHash);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw translateError(error);
        actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : 'no_stream';
        // The caller's exact revision (or no_stream) was checked against what we read: a conflict now
        // is another writer's event, which the caller must see. `any` and `stream_exists` retry.
        if (typeof expected === 'number' || expected === 'no_stream') {
          throw new WrongExpectedRevisionError(stream, expected, actual);
        }
        // Writers that lost together would collide again in lockstep: spread their retries.
        await delay(Math.random() * 5 * attempt);
      }
    }
    throw new WrongExpectedRevisionError(stream, expected, actual);
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reads.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reads.readAll(options);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const filter = options.filter;
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    const subscription: EsdbSubscription = new EsdbSubscription({
      open: (after, highWaterMark) =>
        this.client.subscribeToAll(
          { fromPosition: after ?? START, filter: serverFilter(filter, this.prefix) },
          { highWaterMark },
        ),
      map: (resolved) => {
        const event = toRecordedEvent(resolved, this.prefix);
        return event && matchesFilter(event, filter) ? this.upcast(event) : null;
      },
      after: options.after === undefined ? undefined : toEsdbPosition(options.after),
      batchSize,
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Scans `$all` backwards for the newest event this store shows (system events are skipped). */
  headPosition(): Promise<Position | null> {
    return this.reads.headPosition();
  }

  /** Scans `$all` backwards from the head (see {@link EsdbReads.locateEvent}). */
  locateEvent(eventId: string): Promise<EventLocation | null> {
    return this.reads.locateEvent(eventId);
  }

  comparePositions(a: Position, b: Position): number {
    return compareEsdbPositions(toEsdbPosition(a), toEsdbPosition(b));
  }

  /** EventStoreDB's positions are byte offsets in its transaction log: they do not count events. */
  distance(): number | null {
    return null;
  }

  parsePosition(position: string): Position {
    return formatPosition(toEsdbPosition(position));
  }

  async verifyStream(stream: string): Promise<StreamIntegrity> {
    return verifyChain(stream, await this.readStream(stream, { stored: true }));
  }

  async ping(): Promise<void> {
    await this.reads.readAllRaw(END, 1);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async write(
    name: string,
    stream: string,
    events: readonly NewEvent[],
    head: number | 'no_stream',
    headHash: string | null,
  ): Promise<AppendResult> {
    let revision = head === 'no_stream' ? -1 : head;
    let previous = headHash;
    const data = events.map((event) => {
      revision += 1;
      previous = chainHash(previous, canonicalEventJson(event, stream, revision));
      return toEventData(event, previous);
    });
    const result = await this.client.appendToStream(name, data, {
      expectedRevision: head === 'no_stream' ? NO_STREAM : BigInt(head),
    });
    const nextRevision = Number(result.nextExpectedRevision);
    // A write the server recognised as a repeat may come back without a position: look it up.
    const position = result.position
      ? formatPosition(result.position)
      : (await this.readStream(stream, { fromRevision: nextRevision, maxCount: 1 }))[0].position;
    return { nextRevision, position };
  }
  private mapAll(events: readonly ResolvedEvent[]): RecordedEvent[] {
    return events.map((resolved) => toRecordedEvent(resolved, this.prefix)).filter((e) => e !== null);
  }
}

function satisfies(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}
