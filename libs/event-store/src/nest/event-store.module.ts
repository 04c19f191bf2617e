import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, DATABASE, EVENT_STORE_PING, EventStoreMetrics, type Database } from '@cadre/platform';
import { CLOCK, type Clock } from '@cadre/kernel';
import type { EventStore } from '../event-store.port.js';
import { EVENT_STORE } from '../event-store.tokens.js';
import { UpcasterChain, type EventEvolution, type Upcast } from '../upcasting/upcaster-chain.js';
import { DatabaseModule, type DatabaseOptions } from './database.module.js';
import { MeteredEventStore } from './metered-event-store.js';

/**
 * Provides {@link EVENT_STORE}: the PostgreSQL adapter on the process's database (DATABASE_URL or
 * the embedded cluster), or the EventStoreDB adapter when EVENT_STORE=esdb. Adapters load by
 * dynamic import, so a process only loads the one it uses. The port reaches callers wrapped in
 * {@link MeteredEventStore}; it is closed on shutdown before the embedded cluster stops. The
 * composition hands it the domain's `evolution` (the store knows no aggregate): the adapter
 * upcasts every event it reads with it (decision 0014).
 */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: DatabaseOptions & { readonly evolution: EventEvolution }): DynamicModule {
    // Built here, so that a chain with a gap stops the process at its start.
    const upcast = new UpcasterChain(options.evolution).upcast;
    return {
      module: EventStoreModule,
      imports: [DatabaseModule.forRoot(options)],
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: async (
            config: AppConfig,
            database: Database,
            metrics: EventStoreMetrics,
            clock: Clock,
          ) => {
            const store = await connect(config, database, clock, upcast);
            database.onShutdown(() => store.close());
            return new MeteredEventStore(store, metrics);
          },
          inject: [AppConfig, DATABASE, EventStoreMetrics, CLOCK],
        },
        { provide: EVENT_STORE_PING, useExisting: EVENT_STORE },
      ],
      exports: [EVENT_STORE, EVENT_STORE_PING, DatabaseModule],
    };
  }
}

async function connect(
  config: AppConfig,
  database: Database,
  clock: Clock,
  upcast: Upcast,
): Promise<EventStore> {
  // EVENTSTORE_CONNECTION_STRING is required with esdb (loadConfig checks it).
  if (config.EVENT_STORE === 'esdb') return connectEsdb(config, upcast);
  const { PostgresEventStore } = await import('../postgres/postgres-event-store.js');
  // The process's clock stamps recordedAt; EventStoreDB stamps its own (`created`).
  return PostgresEventStore.connect({
    connectionString: database.url,
    applicationName: 'cadre-event-store',
    connectTimeoutMs: config.CADRE_DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.CADRE_STATEMENT_TIMEOUT_MS,
    clock,
    upcast,
  });
}

async function connectEsdb(config: AppConfig, upcast: Upcast): Promise<EventStore> {
  const { EsdbEventStore } = await import('../esdb/esdb-event-store.js');
  const store = EsdbEventStore.connect(config.EVENTSTORE_CONNECTION_STRING as string, { upcast });
  // The client connects lazily: fail the start now, with a clear message, if the server is not there.
  await store.ping();
  return store;
}
