export { DatabaseModule, DatabaseLifecycle, type DatabaseOptions } from './database.module.js';
export { startEmbeddedDatabase, embeddedDataDir } from './embedded-database.js';
export { EventStoreModule } from './event-store.module.js';
export { MeteredEventStore } from './metered-event-store.js';
