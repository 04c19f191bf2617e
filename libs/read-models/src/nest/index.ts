export * from './projections.module.js';
export * from './signed-checkpoints.provider.js';
export * from './read-models.module.js';
