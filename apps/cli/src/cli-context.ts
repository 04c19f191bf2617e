import type pg from 'pg';
import {
  PostgresEventStore,
  resilientPool,
  runningEmbeddedUrl,
  startEmbeddedPostgres,
  UpcasterChain,
  type EmbeddedCluster,
  type EventStore,
} from '@cadre/event-store';
import { EVENT_EVOLUTION } from '@cadre/domain';
import { embeddedDataDir } from '@cadre/event-store/nest';
import { configuredKeyRing, eventUnsealer, PersonalDataVault } from '@cadre/personal-data';
import { loadConfig, type AppConfig } from '@cadre/platform';
import {
  DEVELOPMENT_CHECKPOINT_KEY,
  isDevelopmentCheckpointKey,
  parseCheckpointKey,
  SignedCheckpoints,
  readModelProjections,
} from '@cadre/read-models';
import type { Projection } from '@cadre/subscriptions';

/** What the CLI's commands work on: the same configuration, store and read models as the app. */
export interface CliContext {
  readonly config: AppConfig;
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly projections: readonly Projection[];
  readonly checkpoints: SignedCheckpoints;
  close(): Promise<void>;
}

/**
 * DATABASE_URL; else the embedded cluster that `npm start` is running in CADRE_DATA_DIR (joined
 * through its postmaster.pid); else that cluster, started for the command and stopped after.
 */
export async function openCliContext(): Promise<CliContext> {
  const config = loadConfig(process.env);
  let cluster: EmbeddedCluster | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    const dataDir = embeddedDataDir(config.CADRE_DATA_DIR);
    url = (await runningEmbeddedUrl(dataDir)) ?? undefined;
    if (!url) {
      cluster = await startEmbeddedPostgres({ dataDir });
      url = cluster.url;
    }
  }
  // Reads upcast as the app's do (decision 0014); integrity reads the stored form.
  const upcast = new UpcasterChain(EVENT_EVOLUTION).upcast;
  const store: EventStore =
    config.EVENT_STORE === 'esdb'
      ? (await import('../../../libs/event-store/src/esdb/esdb-event-store.js')).EsdbEventStore.connect(
          config.EVENTSTORE_CONNECTION_STRING as string,
          { upcast },
        )
      : await PostgresEventStore.connect({
          connectionString: url,
          applicationName: 'cadre-cli',
          connectTimeoutMs: config.CADRE_DB_CONNECT_TIMEOUT_MS,
          upcast,
        });
  // A connection limit, no statement limit: a rebuild or a replay may run long statements, and
  // nothing waits on the CLI (CADRE_STATEMENT_TIMEOUT_MS is for the api and the worker).
  const pool = resilientPool({
    connectionString: url,
    max: 4,
    application_name: 'cadre-cli',
    connectionTimeoutMillis: config.CADRE_DB_CONNECT_TIMEOUT_MS,
  });
  const key = config.CADRE_CHECKPOINT_KEY ?? DEVELOPMENT_CHECKPOINT_KEY;
  if (config.NODE_ENV === 'production' && isDevelopmentCheckpointKey(key)) {
    throw new Error('CADRE_CHECKPOINT_KEY is the public development key, which NODE_ENV=production refuses');
  }
  return {
    config,
    store,
    pool,
    // Names are unsealed as the worker unseals them: a rebuild without the keys would show
    // every member as erased, and differ from the live tables.
    projections: readModelProjections({
      unseal: eventUnsealer(() =>
        PersonalDataVault.connect(pool, configuredKeyRing(config), config.blindIndexKey),
      ),
    }),
    checkpoints: new SignedCheckpoints(pool, store, parseCheckpointKey(key)),
    close: async () => {
      await pool.end();
      await store.close();
      await cluster?.stop();
    },
  };
}
