import { ADVISORY_LOCKS } from '@cadre/kernel';
import pg from 'pg';

/** Advisory-lock class of leases (the second key is hashtext(name)). */
export const LEASE_CLASS = ADVISORY_LOCKS.leaseClass;

export interface Lease {
  /** Called once if the lease is lost (its connection died): stop applying. */
  onLost(listener: () => void): void;
  release(): Promise<void>;
  /** Whether it is still held. */
  readonly held: boolean;
}

export interface LeaseProvider {
  /** Takes the named lease if nobody holds it; null otherwise (or when the database is unreachable). */
  tryAcquire(name: string): Promise<Lease | null>;
  close(): Promise<void>;
}

/**
 * Leases as session advisory locks on ONE connection per process, shared by all its runners (read
 * models, process managers, webhook deliveries) and the schedule's tick: a process that dies drops its connection and every lease with it, so another worker
 * takes over at its next attempt. When the connection dies, every lease is reported lost.
 */
export class SharedConnectionLeases implements LeaseProvider {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly leases = new Set<SessionLease>();
  /** The names of the leases held (or being taken) by this process. */
  private readonly held = new Set<string>();
  private closed = false;
  /** The last statement sent on the shared connection (see {@link serially}). */
  private statements: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connectionString: string,
    private readonly applicationName = 'cadre-leases',
  ) {}

  async tryAcquire(name: string): Promise<Lease | null> {
    if (this.closed) return null;
    // A session lock is re-entrant: the process asking twice for a lease it holds must be refused.
    if (this.held.has(name)) return null;
    this.held.add(name);
    const lease = await this.take(name);
    if (!lease) this.held.delete(name);
    return lease;
  }

  private async take(name: string): Promise<Lease | null> {
    try {
      const client = await this.connection();
      const { rows } = await this.serially(() =>
        client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [
          LEASE_CLASS,
          name,
        ]),
      );
      if (!rows[0]?.got) return null;
      const unlock = (): Promise<unknown> =>
        this.serially(() => client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_CLASS, name]));
      const lease = new SessionLease(unlock, () => {
        this.leases.delete(lease);
        this.held.delete(name);
      });
      this.leases.add(lease);
      return lease;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    for (const lease of [...this.leases]) lease.lose();
    if (client) await client.end().catch(() => undefined);
  }

  /**
   * Runs the connection's statements one at a time. Every runner of the process takes and gives
   * back its lease on this one connection, at once at start; pg queues statements sent while one
   * runs, a use it deprecates (and pg 9 removes).
   */
  private serially<T>(statement: () => Promise<T>): Promise<T> {
    const result = this.statements.then(statement, statement);
    this.statements = result.catch(() => undefined);
    return result;
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({
        connectionString: this.connectionString,
        application_name: this.applicationName,
      });
      const dead = (): void => {
        if (this.client !== client) return;
        this.client = null;
        for (const lease of [...this.leases]) lease.lose();
      };
      client.on('error', dead);
      client.on('end', dead);
      try {
        await client.connect();
        this.client = client;
        return client;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }
}

class SessionLease implements Lease {
  private readonly listeners: (() => void)[] = [];
  private active = true;

  constructor(
    private readonly unlock: () => Promise<unknown>,
    private readonly forget: () => void,
  ) {}

  get held(): boolean {
    return this.active;
  }

  onLost(listener: () => void): void {
    if (!this.active) listener();
    else this.listeners.push(listener);
  }

  lose(): void {
    if (!this.active) return;
    this.active = false;
    this.forget();
    for (const listener of this.listeners.splice(0)) listener();
  }

  async release(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.forget();
    await this.unlock().catch(() => undefined);
  }
}
