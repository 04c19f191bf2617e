import type { EventFilter, EventStore, Position, RecordedEvent } from '@cadre/event-store';
import { ALL_EVENTS } from './projection.js';

/** The store filter for a consumer's event types (`[ALL_EVENTS]`: no filter, every event). */
export function filterOf(handles: readonly string[]): EventFilter | undefined {
  return handles.includes(ALL_EVENTS) ? undefined : { eventTypePrefixes: handles };
}

export interface ReadLogOptions {
  /** Exclusive: from the event after this position; from the beginning when null or absent. */
  readonly after?: Position | null;
  readonly filter?: EventFilter;
  /** Events per page. */
  readonly pageSize?: number;
  /** Stop after this many pages (a bounded scan); unbounded when absent. */
  readonly maxPages?: number;
}

/**
 * The log from a position to its head, page after page, in global order: the one paging loop
 * over `readAll`. The next page is read while the caller works on this one (one page ahead, no
 * more). Ends at the head as it was when the last page was read; each page is non-empty.
 */
export async function* readLog(
  store: EventStore,
  options: ReadLogOptions = {},
): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
  const limit = options.pageSize ?? 500;
  const read = (after: Position | null): Promise<RecordedEvent[]> =>
    store.readAll({ after: after ?? undefined, limit, filter: options.filter });
  let ahead: Promise<RecordedEvent[]> | null = read(options.after ?? null);
  try {
    for (let pages = 0; ahead && pages < (options.maxPages ?? Infinity); pages += 1) {
      const page: RecordedEvent[] = await ahead;
      ahead = null;
      if (page.length === 0) return;
      if (page.length === limit && pages + 1 < (options.maxPages ?? Infinity)) {
        ahead = read(page[page.length - 1]!.position);
        // Abandoned when the caller stops early: its failure is not the caller's.
        ahead.catch(() => undefined);
      }
      yield page;
    }
  } finally {
    ahead?.catch(() => undefined);
  }
}

/** The first event after `after` that `filter` admits, or null when there is none yet. */
export async function firstAfter(
  store: EventStore,
  after: Position | null,
  filter?: EventFilter,
): Promise<RecordedEvent | null> {
  const [first] = await store.readAll({ after: after ?? undefined, limit: 1, filter });
  return first ?? null;
}
