export * from './handle-command.js';
export * from './reference-reads.js';
