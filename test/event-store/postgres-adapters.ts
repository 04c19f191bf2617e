import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresEventStore } from '@cadre/event-store';
import {
  startEmbeddedPostgres,
  type EmbeddedCluster,
} from '../../libs/event-store/src/postgres/embedded-postgres.js';
import { createTestDatabase, serverUrl } from '../support/test-database.js';
import type { AdapterUnderTest, StoreOptions, StoreUnderTest } from './store-under-test.js';

async function storeOn(adminUrl: string, label: string, options: StoreOptions = {}): Promise<StoreUnderTest> {
  const database = await createTestDatabase(label, adminUrl);
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    poolSize: 12,
    ...options,
  });
  return {
    store,
    canTamper: true,
    tamper: async (stream, revision, data) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const result = await client.query(
          'UPDATE cadre_es.events SET data = $3::json WHERE stream_id = $1 AND revision = $2',
          [stream, revision, JSON.stringify(data)],
        );
        if (result.rowCount !== 1) throw new Error(`no event ${stream}@${revision} to tamper with`);
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** The PostgreSQL adapter on the server the tests use (CI: the local PostgreSQL on 127.0.0.1:5432). */
export const postgresAdapter: AdapterUnderTest = {
  name: 'PostgreSQL',
  create: (options) => storeOn(serverUrl(), 'es', options),
};

let embedded: Promise<EmbeddedCluster> | undefined;

/**
 * The same adapter on an embedded cluster of its own (the `npm start` default), started once per
 * test file that uses it and stopped by {@link stopEmbeddedForTests}.
 */
export const embeddedPostgresAdapter: AdapterUnderTest = {
  name: 'PostgreSQL (embedded cluster)',
  create: async (options) => {
    embedded ??= startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'cadre-es-embedded-')), 'data'),
    });
    return storeOn((await embedded).url, 'es_embedded', options);
  },
};

export async function stopEmbeddedForTests(): Promise<void> {
  if (embedded) await (await embedded).stop();
  embedded = undefined;
}
