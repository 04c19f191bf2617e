import { Injectable } from '@nestjs/common';
import { CadreError } from '@cadre/kernel';

/** A request that arrives once the process is stopping (HTTP 503, `Connection: close`). */
export class ServiceStoppingError extends CadreError {
  readonly category = 'unavailable' as const;
  constructor() {
    super('SERVICE.STOPPING', 'This Cadre is stopping and takes no new request; retry shortly.', {
      retryAfterSeconds: 5,
    });
  }
}

/** A request that waits for what comes next: a feed long-poll or an event stream. */
export type WaitingRequest = 'long-poll' | 'stream';

/**
 * What an HTTP process knows about its own stop (docs/decisions/0021-stopping.md): whether it is
 * stopping, how many requests are in flight, and which of them wait for what comes next. Those
 * listen to `signal`, aborted when the stop begins: a long-poll answers with the page it has, an
 * event stream closes. Requests that arrive after it are refused (`ServiceStoppingError`, by the
 * hook of `installRequestHooks`).
 */
@Injectable()
export class Stopping {
  private readonly controller = new AbortController();
  private inFlight = 0;
  private readonly waiting: Record<WaitingRequest, number> = { 'long-poll': 0, stream: 0 };
  private readonly changes = new Set<() => void>();

  /** Aborted when the stop begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Long-polls and event streams waiting now. */
  waitingRequests(): Readonly<Record<WaitingRequest, number>> {
    return { ...this.waiting };
  }

  /** Counts a request until the returned function is called (once is enough; more is harmless). */
  requestStarted(): () => void {
    this.inFlight += 1;
    return this.once(() => (this.inFlight -= 1));
  }

  /** Counts a long-poll or a stream as waiting until the returned function is called. */
  waits(kind: WaitingRequest): () => void {
    this.waiting[kind] += 1;
    return this.once(() => (this.waiting[kind] -= 1));
  }

  /** The stop begins: waiting requests are told to answer, new ones are refused. */
  begin(): void {
    this.controller.abort();
  }

  /** Resolves true once `done()` holds, false if it still does not after `timeoutMs`. */
  until(done: (stopping: this) => boolean, timeoutMs: number): Promise<boolean> {
    if (done(this)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done(this)) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (outcome: boolean): void => {
        clearTimeout(timer);
        this.changes.delete(check);
        resolve(outcome);
      };
      this.changes.add(check);
    });
  }

  private once(release: () => void): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      for (const change of [...this.changes]) change();
    };
  }
}
