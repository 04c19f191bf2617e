export * from './certification-types.js';
export * from './certification-event-mapper.js';
export * from './schemas.js';
export * from './webhooks/webhook-subscriptions.js';
export * from './webhooks/post-signed.js';
export * from './webhooks/webhook-delivery.js';
export * from './webhooks/webhook-dispatcher.js';
export * from './webhooks/address-guard.js';
