import type { RecordedEvent } from '@cadre/event-store';

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

/** State a projection keeps between the batches of a rebuild, and writes when asked to. */
export interface MemoryPart {
  /**
   * Writes into `tx.schema` what it holds: everything (`final`: the catch-up is over and the
   * memory is dropped next), or only what can no longer change (to bound the memory it takes).
   */
  flush(tx: ProjectionTransaction, final: boolean): Promise<void>;
}

/**
 * What a rebuild keeps in memory between batches (see `ProjectionTransaction.memory`). A rebuild
 * owns its fresh tables until it swaps them in, so nothing it has written can have changed
 * behind it: the bitemporal engines keep each entity's facts and rows here instead of reading
 * them back every batch, and write them once, with COPY. The rebuilder flushes it before the
 * final catch-up, which then runs on the tables as the live runner does.
 */
export class RebuildMemory {
  private readonly parts = new Map<string, MemoryPart>();

  /** The part kept under `key` (one per history or timeline set), created on first use. */
  part<Part extends MemoryPart>(key: string, create: () => Part): Part {
    let part = this.parts.get(key);
    if (!part) {
      part = create();
      this.parts.set(key, part);
    }
    return part as Part;
  }

  /** Writes every part's rows (`final`: all of them; the memory is empty afterwards). */
  async flush(tx: ProjectionTransaction): Promise<void> {
    for (const part of this.parts.values()) await part.flush(tx, true);
    this.parts.clear();
  }
}
