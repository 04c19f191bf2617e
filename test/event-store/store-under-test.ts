import type { EventStore, Upcast } from '@cadre/event-store';

/**
 * The adapters the one contract suite (event-store.contract.int-spec.ts) runs against.
 * Each entry creates a fresh, empty store of its own and disposes of it afterwards.
 */
export interface StoreUnderTest {
  readonly store: EventStore;
  /** Whether {@link tamper} can reach behind the store (not against a real EventStoreDB server). */
  readonly canTamper: boolean;
  /**
   * Alters the stored data of one recorded event behind the store's back (a direct SQL UPDATE for
   * PostgreSQL, a write into the test double's log for EventStoreDB), leaving its hash as it was.
   */
  tamper(stream: string, revision: number, data: unknown): Promise<void>;
  dispose(): Promise<void>;
}

/** How the store under test is composed: `upcast`, the chain its reads apply (decision 0014). */
export interface StoreOptions {
  readonly upcast?: Upcast;
}

export interface AdapterUnderTest {
  readonly name: string;
  create(options?: StoreOptions): Promise<StoreUnderTest>;
}
