import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type {
  EventLocation,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port.js';
import type { Upcast } from '../upcasting/upcaster-chain.js';
import { guarded, translateError } from './esdb-errors.js';
import { toRecordedEvent } from './esdb-event-mapping.js';
import { matchesFilter } from './esdb-filter.js';
import { compareEsdbPositions, toEsdbPosition } from './esdb-position.js';
import { readAllFiltered } from './esdb-read-all.js';

const DEFAULT_READ_ALL_LIMIT = 1000;
const HEAD_SCAN_PAGE = 100;
/** How far back `locateEvent` looks in `$all`, in events (system events included). */
const LOCATE_SCAN_LIMIT = 100_000;
const LOCATE_SCAN_PAGE = 1000;

/**
 * The reads of the EventStoreDB adapter: a stream, `$all` (in global order, bounded by its head),
 * the head, and an event's place; events mapped to the port's (stream prefix stripped, upcast).
 */
export class EsdbReads {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly prefix: string,
    private readonly upcast: Upcast,
  ) {}

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const until =
      options.untilRecordedAt === undefined ? undefined : new Date(options.untilRecordedAt).getTime();
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (max <= 0) return [];
    const from =
      options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision);
    // Forwards, the events recorded after `until` are a suffix: the server may apply the count.
    // Backwards they come first and are skipped here, so the count is applied here too.
    const read = this.client.readStream(this.prefix + stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from,
      maxCount: until === undefined || !backwards ? max : Number.MAX_SAFE_INTEGER,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const event = toRecordedEvent(resolved, this.prefix);
        if (!event) continue;
        if (until !== undefined && Date.parse(event.recordedAt) > until) {
          if (backwards) continue;
          break;
        }
        events.push(options.stored ? event : this.upcast(event));
        if (events.length >= max) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error);
    } finally {
      await read.cancel();
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? undefined : toEsdbPosition(options.after);
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    if (limit <= 0) return [];
    const head = await this.lastRawPosition();
    if (head === null || (after && compareEsdbPositions(head, after) <= 0)) return [];
    return readAllFiltered(this.client, {
      after,
      limit,
      head,
      filter: options.filter,
      streamPrefix: this.prefix,
      map: (resolved) => {
        const event = toRecordedEvent(resolved, this.prefix);
        return event && matchesFilter(event, options.filter) ? this.upcast(event) : null;
      },
    });
  }

  /** Scans `$all` backwards for the newest event this store shows (system events are skipped). */
  async headPosition(): Promise<Position | null> {
    let from: typeof END | { commit: bigint; prepare: bigint } = END;
    for (;;) {
      const page = await this.readAllRaw(from, HEAD_SCAN_PAGE);
      for (const resolved of page) {
        const event = toRecordedEvent(resolved, this.prefix);
        if (event) return event.position;
      }
      const last = page.at(-1)?.event?.position;
      if (page.length < HEAD_SCAN_PAGE || !last) return null;
      from = last; // reading $all backwards from a position excludes that position
    }
  }

  /**
   * EventStoreDB has no index by event id: this scans `$all` backwards from the head, page by
   * page, and gives up (null) after {@link LOCATE_SCAN_LIMIT} events. Its cost grows with how long
   * ago the event was recorded — fine for a rare act on a recent record (voiding a mistaken
   * attendance), not for a hot path. A deployment that voids old records on EventStoreDB needs an
   * event-id → stream read model instead.
   */
  async locateEvent(eventId: string): Promise<EventLocation | null> {
    let from: typeof END | { commit: bigint; prepare: bigint } = END;
    for (let scanned = 0; scanned < LOCATE_SCAN_LIMIT; scanned += LOCATE_SCAN_PAGE) {
      const page = await this.readAllRaw(from, LOCATE_SCAN_PAGE);
      for (const resolved of page) {
        if (resolved.event?.id !== eventId) continue;
        const event = toRecordedEvent(resolved, this.prefix);
        if (event) return { stream: event.stream, revision: event.revision };
      }
      const last = page.at(-1)?.event?.position;
      if (page.length < LOCATE_SCAN_PAGE || !last) return null;
      from = last; // reading $all backwards from a position excludes that position
    }
    return null;
  }

  async readRaw(
    name: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, options) as AsyncIterable<ResolvedEvent>) {
        events.push(resolved);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error);
    }
    return events;
  }

  readAllRaw(
    from: typeof END | { commit: bigint; prepare: bigint },
    maxCount: number,
  ): Promise<ResolvedEvent[]> {
    return guarded(async () => {
      const events: ResolvedEvent[] = [];
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount,
      })) {
        events.push(resolved);
      }
      return events;
    });
  }

  /** The last position in `$all`, of any event: where a bounded read of `$all` may stop. */
  private async lastRawPosition(): Promise<{ commit: bigint; prepare: bigint } | null> {
    return (await this.readAllRaw(END, 1))[0]?.event?.position ?? null;
  }
}
