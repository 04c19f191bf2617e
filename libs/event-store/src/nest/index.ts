export { DatabaseModule, DatabaseLifecycle } from './database.module.js';
export { EventStoreModule } from './event-store.module.js';
export { MeteredEventStore } from './metered-event-store.js';
