import { randomBytes } from 'node:crypto';
import { EsdbEventStore } from '../../libs/event-store/src/esdb/esdb-event-store.js';
import { EsdbTestDouble } from './esdb-test-double/esdb-test-double.js';
import type { AdapterUnderTest } from './store-under-test.js';

/** A fresh EventStoreDB protocol test double (in-memory, on 127.0.0.1) per store. */
export const esdbTestDoubleAdapter: AdapterUnderTest = {
  name: 'EventStoreDB protocol test double',
  async create(options) {
    const double = await EsdbTestDouble.start();
    const store = EsdbEventStore.connect(double.connectionString, options);
    return {
      store,
      canTamper: true,
      tamper: async (stream, revision, data) => double.tamper(stream, revision, data),
      dispose: async () => {
        await store.close();
        await double.stop();
      },
    };
  },
};

/**
 * A real EventStoreDB server named by EVENTSTORE_CONNECTION_STRING (`docker compose up eventstore`,
 * then `npm run test:esdb`). A server cannot be emptied between tests: each store gets a stream
 * prefix of its own and sees only its own streams.
 */
export const esdbServerAdapter = (connectionString: string): AdapterUnderTest => ({
  name: 'EventStoreDB server',
  async create(options) {
    const store = EsdbEventStore.connect(connectionString, {
      ...options,
      streamPrefix: `cadre_test_${randomBytes(6).toString('hex')}_`,
    });
    return {
      store,
      canTamper: false,
      tamper: () =>
        Promise.reject(
          new Error('A real EventStoreDB server cannot be tampered with: its log is append-only.'),
        ),
      dispose: () => store.close(),
    };
  },
});

/** The EventStoreDB entries of the contract suite: the double always, a server when one is named. */
export const esdbAdapters = (
  connectionString = process.env.EVENTSTORE_CONNECTION_STRING,
): AdapterUnderTest[] =>
  connectionString ? [esdbTestDoubleAdapter, esdbServerAdapter(connectionString)] : [esdbTestDoubleAdapter];
