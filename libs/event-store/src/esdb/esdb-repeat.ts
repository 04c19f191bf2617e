import { DuplicateEventIdError } from '../event-store.errors.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../event-store.port.js';
import { sameContent } from './esdb-event-mapping.js';

/**
 * Recognises a retried append among the stream's recent events: every event id already there, in
 * order, at consecutive revisions, with the same content, is a repeat, and the first append's result
 * is returned again. Some ids there, or other content under the same id, is refused.
 *
 * EventStoreDB has no index by event id: ids are checked within the stream's last events only (the
 * adapter's `retryWindow`), which is where a retry finds its first attempt. An id reused in another
 * stream is not detected.
 */
export function findRepeat(
  stream: string,
  events: readonly NewEvent[],
  recent: readonly RecordedEvent[],
): AppendResult | null {
  const byId = new Map(recent.map((event) => [event.eventId, event]));
  const found = events.map((event) => byId.get(event.eventId));
  const firstFound = found.findIndex((event) => event !== undefined);
  if (firstFound === -1) return null;
  const first = found[0];
  const repeat =
    first !== undefined &&
    found.every(
      (recorded, i) =>
        recorded !== undefined &&
        recorded.revision === first.revision + i &&
        sameContent(recorded, events[i]),
    );
  if (!repeat) throw new DuplicateEventIdError(events[firstFound].eventId, stream);
  const last = found[found.length - 1]!;
  return { nextRevision: last.revision, position: last.position };
}
