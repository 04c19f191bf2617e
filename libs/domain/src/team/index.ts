export * from './team-assignment.decide.js';
export * from './team.commands.js';
export * from './team.context.js';
export * from './team.decider.js';
export * from './team.errors.js';
export * from './team.events.js';
export * from './team.state.js';
export * from './lapse-acknowledgement.decider.js';
