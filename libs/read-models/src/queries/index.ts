export * from './query-parameter.error.js';
export * from './point-in-time.js';
export * from './cursor.js';
export * from './query-filters.js';
