export * from './projections.module.js';
export * from './signed-checkpoints.provider.js';
