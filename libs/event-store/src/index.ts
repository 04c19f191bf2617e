export * from './event-store.port.js';
export * from './event-store.errors.js';
export * from './event-store.tokens.js';
export { canonicalEventJson, chainHash, verifyChain } from './hash-chain.js';
export { streamCategory, MAX_EVENT_BYTES } from './event-validation.js';
export {
  formatLogPosition,
  parseLogPosition,
  compareLogPositions,
  POSITION_PART_DIGITS,
  type LogPosition,
  type PositionKind,
} from './log-position.js';
export {
  UpcasterChain,
  UpcasterChainError,
  UnknownSchemaVersionError,
  type EventEvolution,
  type Upcast,
  type Upcaster,
} from './upcasting/upcaster-chain.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export {
  startEmbeddedPostgres,
  EmbeddedClusterInUseError,
  runningEmbeddedUrl,
  type EmbeddedCluster,
} from './postgres/embedded-postgres.js';
export { resilientPool } from './postgres/resilient-pool.js';
