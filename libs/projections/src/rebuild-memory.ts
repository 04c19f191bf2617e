import type { ProjectionTransaction } from './projection.js';

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
