export * from './jurisdiction.commands.js';
export * from './jurisdiction.decider.js';
export * from './jurisdiction.errors.js';
export * from './jurisdiction.events.js';
export * from './jurisdiction.state.js';
