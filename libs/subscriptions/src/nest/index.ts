export * from './projections.tokens.js';
export * from './projection-worker.js';
export * from './runner-lag.js';
