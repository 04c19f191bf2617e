export * from './projections.tokens.js';
export * from './leases.provider.js';
export * from './projection-worker.js';
export * from './runner-lag.js';
