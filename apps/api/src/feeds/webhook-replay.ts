import type { Position } from '@cadre/event-store';
import { CadreError } from '@cadre/kernel';
import {
  CERTIFICATION_FILTER,
  DeliveryQueue,
  wantedEvents,
  type QueuedEvent,
  type WebhookSubscription,
} from '@cadre/integration';
import { readLog } from '@cadre/subscriptions';
import type { CertificationFeed } from './certification-feed.js';

/** The most events one replay sends again: a larger range is refused (split it). */
export const MAX_REPLAY_EVENTS = 10_000;

export class InvalidReplayError extends CadreError {
  readonly category = 'validation' as const;
  constructor(field: string, message: string) {
    super('WEBHOOK.INVALID_REPLAY', message, { field });
  }
}

/**
 * Queues again the events after `from` up to `to` (inclusive; default: the head) that the
 * subscription wants, to be sent with `Cadre-Redelivery: replay`, after what is queued already
 * (in order per staff member, as every delivery). Answers how many and the range.
 */
export async function replayRange(
  feed: CertificationFeed,
  queue: DeliveryQueue,
  subscription: WebhookSubscription,
  rawFrom: unknown,
  rawTo: unknown,
): Promise<{ replayed: number; from: Position; to: Position | null } | null> {
  const from = feed.parseCursor(rawFrom, 'from');
  if (from === null)
    throw new InvalidReplayError('from', '`from` must be a feed cursor: replay starts after it.');
  const to = rawTo === undefined ? await feed.store.headPosition() : feed.parseCursor(rawTo, 'to');
  if (rawTo !== undefined && to === null) throw new InvalidReplayError('to', '`to` must be a feed cursor.');
  if (to !== null && feed.store.comparePositions(to, from) < 0) {
    throw new InvalidReplayError('to', '`to` must not come before `from`.');
  }
  const queued: QueuedEvent[] = [];
  if (to !== null) {
    for await (const page of readLog(feed.store, { after: from, filter: CERTIFICATION_FILTER })) {
      const inRange = page.filter((event) => feed.store.comparePositions(event.position, to) <= 0);
      queued.push(...(await wantedEvents(feed.mapper, subscription, inRange)));
      if (queued.length > MAX_REPLAY_EVENTS) {
        throw new InvalidReplayError(
          'to',
          `A replay sends at most ${MAX_REPLAY_EVENTS} events: split the range.`,
        );
      }
      if (inRange.length < page.length) break;
    }
  }
  if (!(await queue.enqueueReplay(subscription.id, queued))) return null;
  return { replayed: queued.length, from, to };
}
