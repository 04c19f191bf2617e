import type { EventStore, Position } from '@cadre/event-store';
import type pg from 'pg';
import { listCheckpoints, type Checkpoint } from './checkpoint-store.js';
import { filterOf, firstAfter } from './log-reading.js';

/** What a lag is measured for: a consumer whose checkpoint is in the checkpoints table. */
export interface LaggingConsumer {
  readonly name: string;
  readonly handles: readonly string[];
  /** A projection's version: a checkpoint of another version counts as the start of the log. */
  readonly version?: number;
}

export interface Lag {
  readonly name: string;
  /** Whether the checkpoint is known (its row exists): before, nothing is reported. */
  readonly known: boolean;
  readonly position: Position | null;
  /** At most this many events not yet applied (an estimate from positions; null where the store cannot tell). */
  readonly lagEvents: number | null;
  /** Record-time age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number | null;
}

/**
 * How far behind the head of the log each consumer is, without reading the backlog: its
 * checkpoint from the checkpoints table (so every worker reports the same, whichever holds the
 * lease, and a restarted one knows it at once), the head's position, and at most one event — the
 * first one the consumer has not applied, whose age is the lag in seconds. The events between
 * are worked out from the positions (`EventStore.distance`).
 */
export async function measureLag(
  store: EventStore,
  pool: Pick<pg.Pool, 'query'>,
  consumers: readonly LaggingConsumer[],
  now: () => number = Date.now,
): Promise<Lag[]> {
  const head = await store.headPosition();
  const checkpoints = new Map<string, Checkpoint>(
    (await listCheckpoints(pool).catch(() => [])).map((checkpoint) => [checkpoint.name, checkpoint]),
  );
  return Promise.all(
    consumers.map(async (consumer): Promise<Lag> => {
      const checkpoint = checkpoints.get(consumer.name);
      if (!checkpoint)
        return { name: consumer.name, known: false, position: null, lagEvents: null, lagSeconds: null };
      const current = consumer.version === undefined || checkpoint.version === consumer.version;
      const position = current ? checkpoint.position : null;
      const caughtUp = { name: consumer.name, known: true, position, lagEvents: 0, lagSeconds: 0 };
      if (head === null || (position !== null && store.comparePositions(position, head) >= 0))
        return caughtUp;
      const first = await firstAfter(store, position, filterOf(consumer.handles));
      if (!first || store.comparePositions(first.position, head) > 0) return caughtUp;
      const distance = store.distance(position, head);
      return {
        name: consumer.name,
        known: true,
        position,
        lagEvents: distance === null ? null : Math.max(1, distance),
        lagSeconds: Math.max(0, (now() - Date.parse(first.recordedAt)) / 1000),
      };
    }),
  );
}
