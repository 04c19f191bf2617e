import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import type { ChangeNotifier } from './change-notifier.js';
import { START } from './postgres-position.js';
import { PostgresSubscription, type PageReader } from './postgres-subscription.js';
import { testEvent } from '../../../../test/support/test-events.js';

/** A notifier that counts the subscriptions holding it, and never wakes anyone. */
const countingNotifier = (): ChangeNotifier & { held: number } => {
  const notifier = {
    held: 0,
    current: 0,
    retain: () => {
      notifier.held += 1;
    },
    release: () => {
      notifier.held -= 1;
    },
    waitForChange: (_seen: number, _ms: number, abort: AbortSignal) =>
      new Promise<void>((resolve) => abort.addEventListener('abort', () => resolve())),
  };
  return notifier as unknown as ChangeNotifier & { held: number };
};

const page = (n: number): RecordedEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    ...testEvent('Happened'),
    eventId: `e${i}`,
    stream: 's-1',
    revision: i,
    position: `1-${i + 1}`,
    recordedAt: '2026-01-01T00:00:00.000Z',
    hash: 'h',
  }));

describe('PostgresSubscription', () => {
  const reader = (pages: RecordedEvent[][]): PageReader => ({
    readPage: async () => pages.shift() ?? [],
    hasEventsBeyondHorizon: async () => false,
  });

  it('lets the notifier go on close, even when its consumer stopped at a page and never returned', async () => {
    const notifier = countingNotifier();
    const subscription = new PostgresSubscription(reader([page(3)]), notifier, START, undefined, 10);
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(3);
    expect(notifier.held).toBe(1);
    await subscription.close();
    expect(notifier.held).toBe(0);
    // The generator, resumed after all, ends without letting go a second time.
    expect((await iterator.next()).done).toBe(true);
    expect(notifier.held).toBe(0);
  });

  it('lets the notifier go once when the consumer ends the iteration itself', async () => {
    const notifier = countingNotifier();
    const subscription = new PostgresSubscription(reader([page(2)]), notifier, START, undefined, 10);
    for await (const events of subscription) {
      expect(events).toHaveLength(2);
      break;
    }
    expect(notifier.held).toBe(0);
    await subscription.close();
    expect(notifier.held).toBe(0);
  });
});
