export * from './csv.js';
export * from './jurisdiction-scope.js';
