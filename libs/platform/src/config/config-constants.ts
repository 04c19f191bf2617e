/** The values of Cadre's configuration that other modules name: defaults, kinds, variable names. */

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const EVENT_STORE_KINDS = ['postgres', 'esdb'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The development JWT secret: `npm start` and `npm run token` work with it out of the box.
 * Anyone can read it here, so production refuses to start with it (see load-config.ts).
 */
export const DEVELOPMENT_JWT_SECRET = 'cadre-development-secret-NOT-FOR-PRODUCTION-0000000';

/**
 * DEVELOPMENT ONLY. The public key of the blind index (the keyed hash naming employeeRef
 * reservation streams), so that `npm start` works on a fresh machine; production refuses it.
 */
export const DEVELOPMENT_BLIND_INDEX_KEY = 'cadre-development-blind-index-key-NOT-FOR-PRODUCTION';

/** The jurisdictions a token may name by default (CADRE_JURISDICTIONS), besides the regional `*`. */
export const DEFAULT_JURISDICTIONS: readonly string[] = ['AL', 'BA', 'XK', 'ME', 'MK', 'RS'];

/** The longest lifetime of a bearer token by default (CADRE_TOKEN_MAX_HOURS). */
export const DEFAULT_TOKEN_MAX_HOURS = 12;

/** The variables Cadre reads; nothing else in the environment is looked at. */
export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'DATABASE_URL',
  'CADRE_DATA_DIR',
  'EVENT_STORE',
  'EVENTSTORE_CONNECTION_STRING',
  'CADRE_JWT_SECRET',
  'CADRE_TOKEN_MAX_HOURS',
  'CADRE_JURISDICTIONS',
  'LOG_LEVEL',
  'CADRE_IN_PROCESS_WORKER',
  'CADRE_WORKER_ROLES',
  'CADRE_KEK',
  'CADRE_KEK_PREVIOUS',
  'CADRE_BLIND_INDEX_KEY',
  'CADRE_CHECKPOINT_KEY',
  'CADRE_CHECKPOINT_INTERVAL_SECONDS',
  'CADRE_RATE_LIMIT_PER_MINUTE',
  'CADRE_EVENT_SOURCE',
  'CADRE_PROCESS_TICK_SECONDS',
  'CADRE_RESERVATION_GRACE_SECONDS',
  'CADRE_READ_TIMEOUT_MS',
  'CADRE_IDEMPOTENCY_LEASE_MS',
  'CADRE_AUTH_FAILURES_PER_MINUTE',
  'CADRE_TRUST_PROXY',
  'CADRE_DB_CONNECT_TIMEOUT_MS',
  'CADRE_STATEMENT_TIMEOUT_MS',
  'CADRE_WEBHOOK_RETRY_SCHEDULE',
  'CADRE_WEBHOOK_RETRY_JITTER_PERCENT',
  'CADRE_WEBHOOK_FAILING_AFTER',
  'CADRE_WEBHOOK_PROBE_SCHEDULE',
  'CADRE_WEBHOOK_DISABLE_AFTER',
] as const;

/** What a worker process can run (CADRE_WORKER_ROLES). */
export const WORKER_ROLES = ['projections', 'processes', 'webhooks'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];
