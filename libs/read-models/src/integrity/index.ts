export * from './checkpoint-signing-key.js';
export * from './signed-checkpoints.js';
