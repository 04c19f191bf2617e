import { EventStoreUnavailableError } from '../event-store.errors.js';
import type { EventFilter, RecordedEvent, Subscription } from '../event-store.port.js';
import type { ChangeNotifier } from './change-notifier.js';
import { parsePgPosition, type PgPosition } from './postgres-position.js';

/** What the subscription needs of the store: kept narrow so the two cannot grow into each other. */
export interface PageReader {
  readPage(after: PgPosition, limit: number, filter?: EventFilter): Promise<RecordedEvent[]>;
  hasEventsBeyondHorizon(after: PgPosition): Promise<boolean>;
}

/** Re-read this often even without a wake-up (a NOTIFY lost with a dying writer process). */
const SAFETY_POLL_MS = 1000;
/** While an older transaction holds committed events back, re-read soon: it ends without notifying. */
const HORIZON_RETRY_MS = [2, 5, 10, 25, 50, 100, 250];
const RECONNECT_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Catch-up then live over the PostgreSQL log. Reads one page ahead of the consumer and no more
 * (back-pressure); when the store is unreachable it retries and resumes from the last position
 * it delivered.
 */
export class PostgresSubscription implements Subscription {
  private readonly abort = new AbortController();
  private position: PgPosition;
  /** How many of this subscription's iterators hold the notifier's LISTEN connection (see `close`). */
  private holds = 0;

  constructor(
    private readonly reader: PageReader,
    private readonly notifier: ChangeNotifier,
    after: PgPosition,
    private readonly filter: EventFilter | undefined,
    private readonly batchSize: number,
  ) {
    this.position = after;
  }

  [Symbol.asyncIterator](): AsyncIterator<readonly RecordedEvent[]> {
    return this.batches();
  }

  /**
   * Ends the subscription. The notifier is let go at once: a consumer that stops iterating at a
   * page it was given (and never calls `return`) leaves the generator suspended, whose `finally`
   * would then never run.
   */
  async close(): Promise<void> {
    this.abort.abort();
    while (this.holds > 0) this.releaseNotifier();
  }

  private releaseNotifier(): void {
    if (this.holds === 0) return;
    this.holds -= 1;
    this.notifier.release();
  }

  private async *batches(): AsyncGenerator<readonly RecordedEvent[]> {
    if (this.abort.signal.aborted) return;
    this.notifier.retain();
    this.holds += 1;
    let ahead: Promise<RecordedEvent[]> | null = null;
    let failures = 0;
    let heldBack = 0;
    try {
      while (!this.abort.signal.aborted) {
        const seen = this.notifier.current;
        let events: RecordedEvent[];
        try {
          events = await (ahead ?? this.read(this.position));
          ahead = null;
          failures = 0;
        } catch (error) {
          ahead = null;
          if (!(error instanceof EventStoreUnavailableError)) throw error;
          await this.sleep(RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]);
          continue;
        }
        if (events.length > 0) {
          heldBack = 0;
          this.position = parsePgPosition(events[events.length - 1].position);
          // Read the next page while the consumer works on this one: one page ahead, no more.
          ahead = this.read(this.position);
          ahead.catch(() => undefined);
          yield events;
          continue;
        }
        const held = await this.reader.hasEventsBeyondHorizon(this.position).catch(() => false);
        const wait = held
          ? HORIZON_RETRY_MS[Math.min(heldBack++, HORIZON_RETRY_MS.length - 1)]
          : SAFETY_POLL_MS;
        if (!held) heldBack = 0;
        await this.notifier.waitForChange(seen, wait, this.abort.signal);
      }
    } finally {
      this.abort.abort();
      this.releaseNotifier();
    }
  }

  private read(after: PgPosition): Promise<RecordedEvent[]> {
    return this.reader.readPage(after, this.batchSize, this.filter);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }
}
