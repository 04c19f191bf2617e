/**
 * The PostgreSQL database of this process (read models; the event store too on the postgres
 * adapter): DATABASE_URL, or the embedded cluster started when it is absent. Provided by
 * `DatabaseModule` (libs/event-store/src/nest), which owns the cluster's life.
 */
export const DATABASE = Symbol.for('cadre.Database');

export interface Database {
  /** A `postgres://` URL; it carries credentials, so never log it. */
  readonly url: string;
  /** True when Cadre started the cluster itself (no DATABASE_URL). */
  readonly embedded: boolean;
  /** The embedded cluster's data folder, when embedded. */
  readonly dataDir?: string;
  /**
   * Registers a clean-up to run on shutdown, before the embedded cluster stops (last registered
   * runs first): pools close before their server goes away.
   */
  onShutdown(close: () => Promise<void>): void;
}
