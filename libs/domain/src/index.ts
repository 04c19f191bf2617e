export * from './shared/index.js';
export * from './framework/index.js';
export * from './jurisdiction/index.js';
export * from './staff/index.js';
export * from './programme/index.js';
export * from './session/index.js';
export * from './team/index.js';
export * from './evolution/index.js';
