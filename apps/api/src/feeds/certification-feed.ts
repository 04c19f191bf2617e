import { Inject, Injectable } from '@nestjs/common';
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
export class CertificationFeed {
  readonly mapper: CertificationEventMapper;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    moduleRef: ModuleRef,
    config: AppConfig,
  ) {
    // The staff context's vault (one per process: its schema is created once).
    const vault = (): PersonalDataVault => moduleRef.get(PersonalDataVault, { strict: false });
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

  /** One page: at most `limit` events after `after`; beyond the head, empty with the head. */
  async page(after: Position | null, limit: number, scope: readonly string[] | null): Promise<FeedPage> {
    const events: CertificationCloudEventJson[] = [];
    let cursor = after;
    for (let round = 0; round < SCAN_ROUNDS && events.length < limit; round += 1) {
      const read = await this.store.readAll({
        after: cursor ?? undefined,
        limit: limit - events.length,
        filter: CERTIFICATION_FILTER,
      });
      // Nothing after the cursor: is it beyond the head? (Only then is the head worth reading.)
      if (read.length === 0 && round === 0 && after !== null) {
        const head = await this.store.headPosition();
        if (head === null || this.store.comparePositions(after, head) > 0) {
          return { events: [], next: head ?? after };
        }
      }
      if (read.length === 0) break;
      events.push(...(await this.visible(read, scope)));
      cursor = read[read.length - 1].position;
      if (read.length < limit) break;
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
   * Waits (up to `waitMs`) for the store subscription to deliver an event after `after` that the
   * scope may see; resolves with the page from `after` then (possibly empty on timeout).
   */
  async waitForPage(
    after: Position | null,
    limit: number,
    scope: readonly string[] | null,
    waitMs: number,
    aborted: () => boolean,
  ): Promise<FeedPage> {
    const subscription = this.store.subscribeToAll({
      after: after ?? undefined,
      filter: CERTIFICATION_FILTER,
      batchSize: limit,
    });
    const iterator = subscription[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), waitMs);
    });
    let cursor = after;
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), timeout]);
        if (next === 'timeout' || next.done || aborted()) return { events: [], next: cursor };
        const batch = next.value;
        cursor = batch[batch.length - 1].position;
        const events = await this.visible(batch, scope);
        if (events.length > 0) return { events: events.slice(0, limit), next: cursor };
      }
    } finally {
      clearTimeout(timer);
      await subscription.close();
      // Ends the subscription's generator, which may sit at a page it yielded: it then lets go of
      // the store's change notifier (not waited for: a read it has under way may still finish).
      void iterator.return?.(undefined).catch(() => undefined);
    }
  }
}
