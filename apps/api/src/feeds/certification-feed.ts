import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PersonalDataVault } from '@cadre/personal-data';
import { CadreError } from '@cadre/kernel';
import type { SealedPersonalData } from '@cadre/domain';
import {
  EVENT_STORE,
  InvalidPositionError,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@cadre/event-store';
import {
  CERTIFICATION_FILTER,
  CertificationEventMapper,
  toStructuredJson,
  type CertificationCloudEventJson,
} from '@cadre/integration';
import { AppConfig } from '@cadre/platform';
import { LogTail, readLog } from '@cadre/subscriptions';
import { unsealPersonalData } from '@cadre/command-handling';

/** A cursor that is not a position of this store (HTTP 400). */
export class InvalidCursorError extends CadreError {
  readonly category = 'validation' as const;
  constructor(parameter: string, value: string) {
    super(
      'FEED.INVALID_CURSOR',
      `"${value.slice(0, 60)}" is not a feed cursor: use the Cadre-Next-Cursor (or an event's sequence) the feed returned.`,
      { parameter },
    );
  }
}

export interface FeedPage {
  readonly events: CertificationCloudEventJson[];
  /** Where the next page starts (the last position read, even if filtered out); null on an empty log. */
  readonly next: Position | null;
}

const SCAN_ROUNDS = 20;

/**
 * The certification feed: the public events of the log after a cursor (the store's opaque
 * position, the same as each event's `sequence`), in log order, restricted to the caller's
 * jurisdictions. A consumer that resumes from the last cursor it received gets every event once.
 */
@Injectable()
export class CertificationFeed implements OnModuleDestroy {
  readonly mapper: CertificationEventMapper;
  /** The log's head as the long-polls wait for it (certification events only). */
  private readonly tail: LogTail;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    moduleRef: ModuleRef,
    config: AppConfig,
  ) {
    // The staff context's vault (one per process: its schema is created once).
    const vault = (): PersonalDataVault => moduleRef.get(PersonalDataVault, { strict: false });
    this.tail = new LogTail(store, CERTIFICATION_FILTER);
    this.mapper = new CertificationEventMapper(store, {
      source: config.CADRE_EVENT_SOURCE,
      unsealEmployeeRef: async (staffId, sealed) =>
        (await unsealPersonalData(vault(), staffId, sealed as SealedPersonalData | undefined))?.employeeRef ??
        null,
    });
  }

  parseCursor(raw: unknown, parameter: string): Position | null {
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'string') throw new InvalidCursorError(parameter, String(raw));
    try {
      return this.store.parsePosition(raw);
    } catch (error) {
      if (error instanceof InvalidPositionError) throw new InvalidCursorError(parameter, raw);
      throw error;
    }
  }

  /**
   * A position kept from an earlier version (a subscription's cursor, a dead letter's) in today's
   * spelling, the one `sequence` and the cursors have; as it is if this store does not read it.
   */
  spelled<P extends string | null>(position: P): P {
    if (position === null) return position;
    try {
      return this.store.parsePosition(position) as P;
    } catch (error) {
      if (error instanceof InvalidPositionError) return position;
      throw error;
    }
  }

  /** One page: at most `limit` events after `after`; beyond the head, empty with the head. */
  async page(after: Position | null, limit: number, scope: readonly string[] | null): Promise<FeedPage> {
    const events: CertificationCloudEventJson[] = [];
    let cursor = after;
    const pages = readLog(this.store, {
      after,
      filter: CERTIFICATION_FILTER,
      pageSize: limit,
      maxPages: SCAN_ROUNDS,
    });
    for await (const read of pages) {
      events.push(...(await this.visible(read, scope)));
      cursor = read[read.length - 1]!.position;
      if (events.length >= limit) {
        // The page ends at its last event: the next one starts after it.
        if (events.length > limit) cursor = String(events[limit - 1]!.sequence);
        return { events: events.slice(0, limit), next: cursor };
      }
    }
    // Nothing after the cursor: is it beyond the head? (Only then is the head worth reading.)
    if (cursor === after && after !== null) {
      const head = await this.store.headPosition();
      if (head === null || this.store.comparePositions(after, head) > 0) {
        return { events: [], next: head ?? after };
      }
    }
    return { events, next: cursor };
  }

  /** The contract events among `recorded` the scope may see. */
  async visible(
    recorded: readonly RecordedEvent[],
    scope: readonly string[] | null,
  ): Promise<CertificationCloudEventJson[]> {
    const mapped = await this.mapper.map(recorded);
    return mapped
      .filter((event) => scope === null || scope.includes(event.jurisdiction))
      .map((event) => toStructuredJson(event.cloudEvent));
  }

  /**
   * Waits (up to `waitMs`) for an event after `after` that the scope may see; resolves with the
   * page from `after` then (empty on timeout, or when `signal` aborts: the client went away). The
   * process's one {@link LogTail} says when something new is recorded: a long-poll holds no
   * subscription and reads nothing while nothing happens.
   */
  async waitForPage(
    after: Position | null,
    limit: number,
    scope: readonly string[] | null,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<FeedPage> {
    const deadline = Date.now() + waitMs;
    let next = after;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal.aborted) return { events: [], next };
      let page: FeedPage | null = null;
      const from = next;
      const arrived = await this.tail.waitFor(
        (event) => from === null || this.store.comparePositions(event.position, from) > 0,
        remaining,
        signal,
        // Once listening: what was recorded since the caller's read is in this page.
        async () => {
          page = await this.page(from, limit, scope);
          return page.events.length > 0;
        },
      );
      const read = page as FeedPage | null;
      if (read && read.events.length > 0) return read;
      next = read?.next ?? next;
      if (!arrived) return { events: [], next };
    }
  }

  onModuleDestroy(): Promise<void> {
    return this.tail.close();
  }
}
