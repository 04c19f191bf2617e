// A light entry point (no Nest): entry points create the logger before loading the app.
export * from './create-logger.js';
export * from './log-serializers.js';
export * from './request-context.js';
export * from './logging.tokens.js';
export * from './operator-error.js';
