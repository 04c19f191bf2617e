import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import {
  AppConfig,
  CONFIG_VARIABLES,
  DEVELOPMENT_BLIND_INDEX_KEY,
  DEVELOPMENT_JWT_SECRET,
} from './app-config.js';

/** The environment cannot start Cadre; the message names every variable to fix. */
export class ConfigurationError extends Error {
  /** Said in a sentence, with no stack (see OperatorError). */
  readonly saidToTheOperator = true as const;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration, Cadre does not start:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * The one configuration loader: validates the environment and returns the typed configuration,
 * or throws a {@link ConfigurationError} naming each bad variable (values are not echoed: some
 * are secrets).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  // Absent or blank variables keep the class defaults.
  const plain = Object.fromEntries(
    CONFIG_VARIABLES.filter((key) => env[key] !== undefined && env[key]?.trim() !== '').map((key) => [
      key,
      env[key],
    ]),
  );
  const config = plainToInstance(AppConfig, plain, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const problems = validateSync(config, { forbidUnknownValues: true }).flatMap(describe);
  problems.push(...productionRules(config));
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

// Values of these are never repeated in a message or a log.
const SECRET_VARIABLES = new Set([
  'CADRE_JWT_SECRET',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'CADRE_KEK',
  'CADRE_KEK_PREVIOUS',
  'CADRE_BLIND_INDEX_KEY',
  'CADRE_CHECKPOINT_KEY',
]);

function describe(error: ValidationError): string[] {
  const messages = new Set(
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  const got = SECRET_VARIABLES.has(error.property) ? '' : ` (got ${JSON.stringify(String(error.value))})`;
  return [...messages].map((message) => message + got);
}

function productionRules(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.EVENT_STORE === 'esdb' && !config.EVENTSTORE_CONNECTION_STRING) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=esdb');
  }
  if (config.NODE_ENV === 'production') {
    if (!config.DATABASE_URL) {
      problems.push(
        'DATABASE_URL is required when NODE_ENV=production: production runs on a managed PostgreSQL (postgres://…), never on the embedded cluster',
      );
    }
    if (!config.CADRE_JWT_SECRET) {
      problems.push(
        'CADRE_JWT_SECRET is required when NODE_ENV=production (a random string of at least 32 characters, e.g. `openssl rand -base64 48`)',
      );
    } else if (config.CADRE_JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      problems.push('CADRE_JWT_SECRET is the public development secret, which NODE_ENV=production refuses');
    }
    // That the KEK is not the development one is checked where it is parsed (libs/personal-data).
    if (!config.CADRE_KEK) {
      problems.push('CADRE_KEK is required when NODE_ENV=production ("<id>:<base64 of 32 random bytes>")');
    }
    // That it is not the development key is checked where it is parsed (libs/subscriptions/integrity).
    if (!config.CADRE_CHECKPOINT_KEY) {
      problems.push(
        'CADRE_CHECKPOINT_KEY is required when NODE_ENV=production ("<id>:<base64 of a 32-byte Ed25519 seed>")',
      );
    }
    if (!config.CADRE_BLIND_INDEX_KEY) {
      problems.push(
        'CADRE_BLIND_INDEX_KEY is required when NODE_ENV=production (a random string of at least 32 characters, e.g. `openssl rand -base64 48`)',
      );
    } else if (config.CADRE_BLIND_INDEX_KEY === DEVELOPMENT_BLIND_INDEX_KEY) {
      problems.push('CADRE_BLIND_INDEX_KEY is the public development key, which NODE_ENV=production refuses');
    }
  }
  return problems;
}
