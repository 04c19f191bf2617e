export * from './transactions.js';
