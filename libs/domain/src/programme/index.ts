export * from './programme.commands.js';
export * from './programme.decider.js';
export * from './programme.errors.js';
export * from './programme.events.js';
export * from './programme-scope.js';
export * from './programme.upcasters.js';
