import { Expose, Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
} from 'class-validator';

import {
  DEFAULT_JURISDICTIONS,
  DEFAULT_TOKEN_MAX_HOURS,
  DEVELOPMENT_BLIND_INDEX_KEY,
  DEVELOPMENT_JWT_SECRET,
  EVENT_STORE_KINDS,
  LOG_LEVELS,
  NODE_ENVS,
  WORKER_ROLES,
  type WorkerRole,
} from './config-constants.js';

export * from './config-constants.js';

import { KEK, KEK_LIST, toBoolean, toInteger, toList } from './config-transforms.js';
import { WebhookSettings } from './webhook-settings.js';

/**
 * The validated configuration of every Cadre process, read from the environment once at start
 * (one loader: {@link loadConfig}). Property names are the variable names, so a refusal names the
 * variable to fix. Inject it by class: `constructor(private readonly config: AppConfig)`.
 */
export class AppConfig extends WebhookSettings {
  @Expose()
  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT = 3000;

  /** Loopback by default; production (and docker) listens on every interface. */
  @Expose()
  @IsOptional()
  @IsString()
  HOST?: string;

  /** A `postgres://` URL; absent → an embedded PostgreSQL cluster in CADRE_DATA_DIR. */
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Expose()
  @IsString()
  @MinLength(1)
  CADRE_DATA_DIR = './data';

  @Expose()
  @IsIn(EVENT_STORE_KINDS, { message: `EVENT_STORE must be one of ${EVENT_STORE_KINDS.join(', ')}` })
  EVENT_STORE: (typeof EVENT_STORE_KINDS)[number] = 'postgres';

  @Expose()
  @IsOptional()
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CADRE_JWT_SECRET must be at least 32 characters long' })
  CADRE_JWT_SECRET?: string;

  /** The longest lifetime (`exp - iat`) of a bearer token the API accepts, in hours. */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_TOKEN_MAX_HOURS must be a whole number of hours between 1 and 720' })
  @Min(1, { message: 'CADRE_TOKEN_MAX_HOURS must be a whole number of hours between 1 and 720' })
  @Max(720, { message: 'CADRE_TOKEN_MAX_HOURS must be a whole number of hours between 1 and 720' })
  CADRE_TOKEN_MAX_HOURS = DEFAULT_TOKEN_MAX_HOURS;

  /**
   * The jurisdictions a bearer token may name, comma-separated codes; the regional `*` is always
   * admitted besides them. A token naming another one (or none) is refused.
   */
  @Expose()
  @Transform(toList)
  @Matches(/^[A-Z]{2,8}$/, {
    each: true,
    message: 'CADRE_JURISDICTIONS must list jurisdiction codes (2 to 8 capital letters), comma-separated',
  })
  @ArrayNotEmpty({ message: 'CADRE_JURISDICTIONS must name at least one jurisdiction' })
  CADRE_JURISDICTIONS: string[] = [...DEFAULT_JURISDICTIONS];

  @Expose()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Run the worker (projections, process managers) inside the api process: `npm start`'s default. */
  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'CADRE_IN_PROCESS_WORKER must be true or false' })
  CADRE_IN_PROCESS_WORKER = true;

  /**
   * What a worker process runs, comma-separated: `projections` (the read models), `processes`
   * (awards, the certification schedule, lapses), `webhooks` (delivery). All three by default; a
   * deployment may give webhook delivery workers of its own, so that read-model work never delays it.
   */
  @Expose()
  @Transform(toList)
  @IsIn(WORKER_ROLES, {
    each: true,
    message: `CADRE_WORKER_ROLES must list some of ${WORKER_ROLES.join(', ')}, comma-separated`,
  })
  @ArrayNotEmpty({ message: 'CADRE_WORKER_ROLES must name at least one role' })
  CADRE_WORKER_ROLES: WorkerRole[] = [...WORKER_ROLES];

  /**
   * The key-encryption key that wraps personal-data keys, `<id>:<base64 of 32 bytes>`; absent →
   * the development KEK of libs/personal-data (production requires one, and refuses that one).
   */
  @Expose()
  @IsOptional()
  @Matches(KEK, {
    message: 'CADRE_KEK must be "<id>:<base64 of 32 random bytes>" (e.g. "k1:$(openssl rand -base64 32)")',
  })
  CADRE_KEK?: string;

  /** Previous KEKs, comma-separated, while a rotation is under way. */
  @Expose()
  @IsOptional()
  @Matches(KEK_LIST, {
    message: 'CADRE_KEK_PREVIOUS must be a comma-separated list of "<id>:<base64 of 32 bytes>"',
  })
  CADRE_KEK_PREVIOUS?: string;

  /**
   * The key of the blind index that keeps employeeRefs unique per jurisdiction without writing
   * them in clear (≥ 32 characters). Never change it on a running deployment: every reservation
   * is named by it. Absent → the development key (production requires one, and refuses that one).
   */
  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CADRE_BLIND_INDEX_KEY must be at least 32 characters long' })
  CADRE_BLIND_INDEX_KEY?: string;

  /**
   * The Ed25519 key that signs integrity checkpoints, `<id>:<base64 of a 32-byte seed>`; never
   * stored in the database. Absent → the development key (production requires one, and refuses that one).
   */
  @Expose()
  @IsOptional()
  @Matches(KEK, {
    message:
      'CADRE_CHECKPOINT_KEY must be "<id>:<base64 of a 32-byte seed>" (e.g. "k1:$(openssl rand -base64 32)")',
  })
  CADRE_CHECKPOINT_KEY?: string;

  /** How often the worker signs an integrity checkpoint of the log (seconds; 0 = only on demand). */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_CHECKPOINT_INTERVAL_SECONDS must be a whole number of seconds' })
  @Min(0, { message: 'CADRE_CHECKPOINT_INTERVAL_SECONDS must be 0 or more' })
  CADRE_CHECKPOINT_INTERVAL_SECONDS = 3600;

  /** Requests per minute per caller (token subject, or address before authentication); 0 = no limit. */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_RATE_LIMIT_PER_MINUTE must be a whole number' })
  @Min(0, { message: 'CADRE_RATE_LIMIT_PER_MINUTE must be 0 (no limit) or more' })
  CADRE_RATE_LIMIT_PER_MINUTE = 6000;

  /**
   * The CloudEvents `source` of the public certification events (the feed, webhooks): a URI that
   * names this deployment, e.g. `https://cadre.example.org` or `urn:cadre:region-x`.
   */
  @Expose()
  @Matches(/^[a-z][a-z0-9+.-]*:\S+$/i, {
    message: 'CADRE_EVENT_SOURCE must be a URI (e.g. urn:cadre:production)',
  })
  CADRE_EVENT_SOURCE = 'urn:cadre:development';

  /**
   * How often the worker sends due certification notices (windows, warnings, expiries), in
   * seconds; 0 = only on demand. Absent → 5, or 0 under NODE_ENV=test (tests move the clock and
   * tick themselves).
   */
  @Expose()
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_PROCESS_TICK_SECONDS must be a whole number of seconds' })
  @Min(0, { message: 'CADRE_PROCESS_TICK_SECONDS must be 0 or more' })
  CADRE_PROCESS_TICK_SECONDS?: number;

  /**
   * How long a registration may take between reserving the employeeRef and creating the staff
   * stream: a reservation older than this whose staff stream is absent is an orphan, released by
   * the worker (decision 0020). Far longer than any request, so that none still under way is.
   */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_RESERVATION_GRACE_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'CADRE_RESERVATION_GRACE_SECONDS must be 1 or more' })
  CADRE_RESERVATION_GRACE_SECONDS = 900;

  /**
   * Requests with a missing or invalid token allowed per client address per minute; past it the
   * address is answered 429 with Retry-After until the minute ends (a valid token still passes).
   * 0 = no limit.
   */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_AUTH_FAILURES_PER_MINUTE must be a whole number' })
  @Min(0, { message: 'CADRE_AUTH_FAILURES_PER_MINUTE must be 0 (no limit) or more' })
  CADRE_AUTH_FAILURES_PER_MINUTE = 60;

  /**
   * Whether the client address is taken from `X-Forwarded-For` (behind a reverse proxy that sets
   * it); otherwise the connection's address is, and the header is ignored.
   */
  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'CADRE_TRUST_PROXY must be true or false' })
  CADRE_TRUST_PROXY = false;

  /** The longest a read of the read models may take (locks included): past it, 503 `DATABASE.TIMEOUT`. 0 = none. */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_READ_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'CADRE_READ_TIMEOUT_MS must be 0 (no limit) or more' })
  CADRE_READ_TIMEOUT_MS = 5000;

  /**
   * How long an `Idempotency-Key` claim lives without a heartbeat from the api process running its
   * command (renewed every third of it): past it, a retry looks the key up in the log and answers
   * what was written, or runs the command (decision 0019).
   */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_IDEMPOTENCY_LEASE_MS must be a whole number of milliseconds' })
  @Min(300, { message: 'CADRE_IDEMPOTENCY_LEASE_MS must be 300 or more' })
  CADRE_IDEMPOTENCY_LEASE_MS = 10_000;

  /**
   * The longest anything waits for a connection from any pool (a full pool, a server that does
   * not answer): past it, 503 `DATABASE.UNAVAILABLE` with Retry-After. 0 = no limit.
   */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_DB_CONNECT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'CADRE_DB_CONNECT_TIMEOUT_MS must be 0 (no limit) or more' })
  CADRE_DB_CONNECT_TIMEOUT_MS = 5000;

  /**
   * The longest any other statement may take (writes, runners, webhooks; waits for locks included):
   * past it a command answers 503 `DATABASE.TIMEOUT` and a runner retries. Start-up DDL and the
   * CLI have none. 0 = no limit.
   */
  @Expose()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'CADRE_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more' })
  CADRE_STATEMENT_TIMEOUT_MS = 30_000;

  /** The tick interval in force (see CADRE_PROCESS_TICK_SECONDS). */
  get processTickSeconds(): number {
    return this.CADRE_PROCESS_TICK_SECONDS ?? (this.NODE_ENV === 'test' ? 0 : 5);
  }

  /** Where the app listens: HOST, else 0.0.0.0 in production and 127.0.0.1 elsewhere. */
  get host(): string {
    return this.HOST ?? (this.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
  }

  /** The HS256 secret in force: the configured one, or the development default outside production. */
  get jwtSecret(): string {
    return this.CADRE_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
  }

  get usesDevelopmentJwtSecret(): boolean {
    return this.jwtSecret === DEVELOPMENT_JWT_SECRET;
  }

  /** The blind-index key in force: the configured one, or the development default outside production. */
  get blindIndexKey(): string {
    return this.CADRE_BLIND_INDEX_KEY ?? DEVELOPMENT_BLIND_INDEX_KEY;
  }
}
