export * from './shared/cadre-error.js';
