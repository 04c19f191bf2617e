export * from './framework.commands.js';
export * from './framework.decider.js';
export * from './framework.errors.js';
export * from './framework.events.js';
export * from './framework-baseline.js';
