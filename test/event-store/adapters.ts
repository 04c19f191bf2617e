import { esdbAdapters } from './esdb-adapters.js';
import { embeddedPostgresAdapter, postgresAdapter } from './postgres-adapters.js';

export type { AdapterUnderTest, StoreUnderTest } from './store-under-test.js';
import type { AdapterUnderTest } from './store-under-test.js';

/** The adapters the one contract suite (event-store.contract.int-spec.ts) runs against. */
export const adapters: AdapterUnderTest[] = [postgresAdapter, embeddedPostgresAdapter, ...esdbAdapters()];
