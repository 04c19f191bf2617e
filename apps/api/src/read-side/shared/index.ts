export * from './csv.js';
export * from './jurisdiction-scope.js';
export * from './read-query.dto.js';
export * from './paged-read.js';
export * from '../../shared/read-route.js';
export * from './read-request.js';
