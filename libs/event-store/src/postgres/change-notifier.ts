import pg from 'pg';

const CHANNEL = 'cadre_es_events';
const NOTIFY_COALESCE_MS = 3;
/**
 * How long the LISTEN connection outlives the last live subscription. A long-polling feed
 * subscribes for each request: without this, every request would open a connection and LISTEN
 * again before it could be woken (tens of milliseconds on a busy machine, and a wake-up it can
 * only catch by re-reading).
 */
const LISTEN_LINGER_MS = 30_000;

/**
 * Wakes live subscribers when events are appended, without busy polling.
 *
 * Appends do not NOTIFY inside their own transaction: PostgreSQL serialises the commits of every
 * notifying transaction (a cluster-wide lock held through the WAL flush), which would cost the
 * concurrent appends their group commit. Instead an append wakes this process's subscribers at
 * once and sends one coalesced NOTIFY after its commit, for subscribers in other processes; those
 * also re-read on a slow safety timer, so a process that dies between commit and NOTIFY delays
 * them by at most that period.
 */
export class ChangeNotifier {
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private notifyInFlight = false;
  private notifyPending = false;
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private retained = 0;
  private closed = false;
  private linger: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly pool: pg.Pool,
  ) {}

  /** Monotonic counter of wake-ups: compare before and after a read to see if one was missed. */
  get current(): number {
    return this.generation;
  }

  /** Called after an append commits. */
  appended(): void {
    this.wake();
    if (this.notifyPending) return;
    this.notifyPending = true;
    // A few milliseconds of coalescing: under load, one NOTIFY covers many appends.
    if (!this.notifyInFlight) setTimeout(() => void this.sendNotify(), NOTIFY_COALESCE_MS).unref();
  }

  /** Resolves when a wake-up newer than `seen` happens, or after `timeoutMs`. */
  waitForChange(seen: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.generation !== seen || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        abort.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      abort.addEventListener('abort', done);
    });
  }

  /** A subscription went live: keep a LISTEN connection while any is. */
  retain(): void {
    this.retained += 1;
    if (this.linger) clearTimeout(this.linger);
    this.linger = null;
    if (!this.listening) this.listening = this.listen();
  }

  /** A subscription ended: the LISTEN connection ends too once none is live for a while. */
  release(): void {
    this.retained = Math.max(0, this.retained - 1);
    if (this.retained > 0 || this.linger) return;
    this.linger = setTimeout(() => {
      this.linger = null;
      if (this.retained === 0) void this.stopListening();
    }, LISTEN_LINGER_MS);
    this.linger.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.linger) clearTimeout(this.linger);
    this.linger = null;
    this.wake();
    await this.stopListening();
  }

  private wake(): void {
    this.generation += 1;
    for (const waiter of [...this.waiters]) waiter();
  }

  private async sendNotify(): Promise<void> {
    if (this.notifyInFlight) return;
    this.notifyInFlight = true;
    try {
      while (this.notifyPending && !this.closed) {
        this.notifyPending = false;
        await this.pool.query(`NOTIFY ${CHANNEL}`).catch(() => undefined);
      }
    } finally {
      this.notifyInFlight = false;
    }
  }

  private async listen(): Promise<void> {
    let delay = 100;
    while (!this.closed && this.wanted()) {
      const client = new pg.Client({
        connectionString: this.connectionString,
        application_name: 'cadre-es-listener',
      });
      const ended = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        client.on('notification', () => this.wake());
        await client.query(`LISTEN ${CHANNEL}`);
        // Closed or released while connecting: stopListening had no client to end, so end it here
        // (the finally below) instead of waiting forever on a connection nobody will close.
        if (this.closed || !this.wanted()) continue;
        this.listener = client;
        delay = 100;
        // Events appended while we were not listening: let every subscriber re-read.
        this.wake();
        await ended;
      } catch {
        // The server is unreachable: subscribers poll on their own timers meanwhile.
      } finally {
        this.listener = null;
        await client.end().catch(() => undefined);
      }
      if (this.closed || !this.wanted()) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
    this.listening = null;
  }

  /** A subscription is live, or the last one ended a moment ago. */
  private wanted(): boolean {
    return this.retained > 0 || this.linger !== null;
  }

  private async stopListening(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    if (client) await client.end().catch(() => undefined);
    await this.listening;
  }
}
