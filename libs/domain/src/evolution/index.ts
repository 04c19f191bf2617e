export * from './event-upcaster.js';
export * from './event-evolution.js';
