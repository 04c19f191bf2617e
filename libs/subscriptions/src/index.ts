export * from './projection.js';
export * from './checkpoint-store.js';
export * from './log-reading.js';
export * from './subscription-runner.js';
export * from './projection-runner.js';
export * from './projection-rebuilder.js';

export * from './leases.js';
export * from './log-tail.js';
export * from './lag.js';
export * from './storable-writes.js';
