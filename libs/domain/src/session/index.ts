export * from './session-trainers.js';
export * from './session.commands.js';
export * from './session.decider.js';
export * from './session.errors.js';
export * from './session.events.js';
export * from './session.state.js';
