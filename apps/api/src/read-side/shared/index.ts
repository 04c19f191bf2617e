export * from './query-parameter.error.js';
export * from './point-in-time.js';
export * from './cursor.js';
export * from './csv.js';
export * from './jurisdiction-scope.js';
export * from './query-filters.js';
export * from './read-query.dto.js';
