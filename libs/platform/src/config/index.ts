// A light entry point (no Nest): entry points validate the environment before loading the app.
export * from './app-config.js';
export * from './load-config.js';
