export * from './certification-types.js';
export * from './certification-event-mapper.js';
export * from './schemas.js';
