export * from './projections.tokens.js';
export * from './projection-worker.js';
export * from './projections.module.js';
export * from './signed-checkpoints.provider.js';
export * from './runner-lag.js';
