import type { RecordedEvent } from '@cadre/event-store';
import type { RebuildMemory } from './rebuild-memory.js';

/** The transaction a projection writes a batch in: the checkpoint commits with it. */
export interface ProjectionTransaction {
  /** The schema the projection's tables live in now (the live one, or a rebuild's fresh one). */
  readonly schema: string;
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /**
   * Loads rows with `COPY … FROM STDIN` (text format: each line already encoded, see
   * `copyRows`). Present where the transaction has a connection of its own; without it, bulk
   * writers fall back to multi-row INSERTs.
   */
  copy?(table: string, columns: readonly string[], lines: Iterable<string>): Promise<void>;
  /**
   * Present only while a rebuild catches up into its fresh tables, which nothing else reads or
   * writes: the bitemporal engines then keep their facts and rows in it between batches instead
   * of reading them back, and write them once, with COPY, when the rebuilder flushes it.
   */
  readonly memory?: RebuildMemory;
}

/**
 * A read model fed by the event log. It declares the event types it handles and applies them in
 * batches; the runner commits each batch together with the projection's checkpoint, so a crash
 * neither loses nor doubles an event. `apply` must only write inside `tx.schema`.
 */
export interface Projection {
  /** Stable name: the checkpoint's key and the lease's. */
  readonly name: string;
  /** Bump when the tables' meaning changes: a projection whose checkpoint has another version is rebuilt. */
  readonly version: number;
  /** The event types it reads; others never reach `apply`. `[ALL_EVENTS]` reads every event. */
  readonly handles: readonly string[];
  /** Its tables (unqualified), all in one schema of its own: what a rebuild copies and swaps. */
  readonly tables: readonly string[];
  /** The live schema of its tables. */
  readonly schema: string;
  /** Creates its tables in `schema` if missing (idempotent). Migrations of the live schema call it too. */
  createTables(tx: ProjectionTransaction, schema: string): Promise<void>;
  apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void>;
}

/** `handles: [ALL_EVENTS]`: a projection of the whole log (history, stream heads). */
export const ALL_EVENTS = '*';
