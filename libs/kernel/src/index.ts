export * from './actor.js';
export * from './clock.js';
export * from './errors.js';
export * from './ids.js';
export * from './connection-errors.js';
export * from './advisory-locks.js';
export * from './plain-text.js';
