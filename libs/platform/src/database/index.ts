export * from './transactions.js';
export * from './process-pool.js';
