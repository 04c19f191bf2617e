import {
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import type { EventFilter, RecordedEvent } from '../event-store.port.js';
import { translateError } from './esdb-errors.js';
import { serverFilter } from './esdb-filter.js';
import { compareEsdbPositions, toEsdbPosition } from './esdb-position.js';

export interface ReadAllRequest {
  readonly after: EsdbPosition | undefined;
  readonly limit: number;
  readonly filter: EventFilter | undefined;
  readonly streamPrefix: string;
  /** The last position in `$all` when the read starts (any event, system ones included). */
  readonly head: EsdbPosition;
  readonly map: (resolved: AllStreamResolvedEvent) => RecordedEvent | null;
}

/**
 * A bounded read of `$all` with a server-side filter. The client's `readAll` (6.x) sends no filter,
 * so this reads through a filtered catch-up subscription and stops at whichever comes first:
 * `limit` events, the `caughtUp` message, or an event or checkpoint at or past `head` (servers
 * older than 23.10 send no `caughtUp`). Everything delivered before `caughtUp` is drained first.
 */
export function readAllFiltered(
  client: EventStoreDBClient,
  request: ReadAllRequest,
): Promise<RecordedEvent[]> {
  const { after, limit, head, map } = request;
  const events: RecordedEvent[] = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      void subscription
        .unsubscribe()
        .catch(() => undefined)
        .then(() => {
          subscription.destroy();
          if (error === undefined) resolve(events);
          else reject(translateError(error));
        });
    };
    const reachedHead = (position: EsdbPosition): boolean => compareEsdbPositions(position, head) >= 0;
    const drain = (): void => {
      let resolved: AllStreamResolvedEvent | null;
      while (!done && (resolved = subscription.read() as AllStreamResolvedEvent | null) !== null) {
        const event = map(resolved);
        if (
          event &&
          (after === undefined || compareEsdbPositions(toEsdbPosition(event.position), after) > 0)
        ) {
          events.push(event);
          if (events.length >= limit) return finish();
        }
        if (resolved.event?.position && reachedHead(resolved.event.position)) return finish();
      }
    };
    const subscription = client.subscribeToAll(
      {
        fromPosition: after ?? START,
        filter: serverFilter(request.filter, request.streamPrefix, (_subscription, position) => {
          if (!reachedHead(position)) return;
          drain();
          finish();
        }),
      },
      { highWaterMark: Math.min(limit, 1000) },
    );
    subscription.on('readable', drain);
    subscription.on('caughtUp', () => {
      drain();
      finish();
    });
    subscription.on('error', (error: unknown) => finish(error));
    subscription.on('end', () => {
      drain();
      finish();
    });
  });
}
