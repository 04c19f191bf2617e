import type { EventFilter, EventStore, Position, RecordedEvent, Subscription } from '@cadre/event-store';

type Listener = (batch: readonly RecordedEvent[]) => void;

/**
 * The head of the log, followed once per process for everyone who waits for what comes next (the
 * feed's long-polls): one store subscription from the head, whose batches are handed to every
 * listener in memory — not one subscription, and one read per new event, per waiting client.
 * It starts with the first listener and resubscribes from where it stopped after a failure.
 */
export class LogTail {
  private readonly listeners = new Set<Listener>();
  private subscription: Subscription | null = null;
  private started: Promise<void> | null = null;
  private following: Promise<void> | null = null;
  private position: Position | null = null;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly filter?: EventFilter,
  ) {}

  /**
   * Calls `listener` with every batch recorded after the moment this resolves (the tail is
   * following then: an event committed later reaches the listener). Returns how to stop listening.
   */
  async listen(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await (this.started ??= this.start());
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => void this.listeners.delete(listener);
  }

  /**
   * Resolves true once an event after `after` that `accept` admits has been recorded — checking,
   * once listening, with `recheck` whether one already had been — or false after `timeoutMs` or
   * when `signal` aborts.
   */
  async waitFor(
    accept: (event: RecordedEvent) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
    recheck?: () => Promise<boolean>,
  ): Promise<boolean> {
    let resolve!: (value: boolean) => void;
    const outcome = new Promise<boolean>((r) => (resolve = r));
    const stop = await this.listen((batch) => {
      if (batch.some(accept)) resolve(true);
    });
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const abort = (): void => resolve(false);
    signal?.addEventListener('abort', abort);
    try {
      if (recheck && (await recheck())) return true;
      return await outcome;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      stop();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.subscription?.close();
    await this.following;
  }

  private async start(): Promise<void> {
    this.position = await this.store.headPosition();
    this.subscribe();
    this.following = this.follow();
  }

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll({
      after: this.position ?? undefined,
      filter: this.filter,
      batchSize: 500,
    });
  }

  private async follow(): Promise<void> {
    let delay = 100;
    while (!this.closed) {
      try {
        for await (const batch of this.subscription!) {
          this.position = batch[batch.length - 1]!.position;
          delay = 100;
          for (const listener of [...this.listeners]) listener(batch);
        }
      } catch {
        // The subscription failed: resubscribe from the last position seen, after a pause.
      }
      if (this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
      if (!this.closed) this.subscribe();
    }
  }
}
