import { pino, type Logger, type LoggerOptions } from 'pino';
import { errorForLog, replyForLog, requestForLog, withoutQueryValues } from './log-serializers.js';
import { currentRequestContext } from './request-context.js';

/** Paths pino replaces with `[redacted]`: credentials and personal data never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'token',
  'accessToken',
  'password',
  'secret',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.password',
  '*.secret',
  // Personal data (a staff member's name, e-mail, employeeRef), should a request body ever be logged.
  'body.name',
  'body.email',
  'body.employeeRef',
  'req.body.name',
  'req.body.email',
  'req.body.employeeRef',
  'email',
  'employeeRef',
  '*.email',
  '*.employeeRef',
];

export interface LoggerSettings {
  readonly level: string;
  /** Where lines go; stdout when absent (tests pass a stream to read them). */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * The one logger of a Cadre process: JSON lines on stdout, each carrying the correlation id of
 * the request it belongs to (from the request context, so code deep in a handler needs no logger
 * passed down), with credentials redacted. Fastify and Nest both write through it. No line carries
 * a value a caller sent (log-serializers.ts): requests, replies and errors are logged through
 * serializers that keep names only, and a URL in a message loses its query string.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'cadre' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      err: errorForLog,
      error: (value: unknown) => (typeof value === 'string' ? withoutQueryValues(value) : errorForLog(value)),
      req: requestForLog,
      res: replyForLog,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, withoutValues(args) as Parameters<typeof method>);
      },
    },
    mixin: () => {
      const context = currentRequestContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  };
  return settings.destination
    ? pino(options, settings.destination as unknown as pino.DestinationStream)
    : pino(options);
}

/**
 * A log call's arguments with URLs cut of their query strings; a call that logs an error without
 * a message gets the error's scrubbed message (pino would otherwise take the raw one).
 */
function withoutValues(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  const scrubbed = rest.map((arg) => (typeof arg === 'string' ? withoutQueryValues(arg) : arg));
  if (typeof first === 'string') return [withoutQueryValues(first), ...scrubbed];
  const error =
    first instanceof Error
      ? first
      : typeof first === 'object' && first !== null && 'err' in first
        ? first.err
        : undefined;
  if (error !== undefined && typeof scrubbed[0] !== 'string') scrubbed.unshift(errorForLog(error).message);
  return [first, ...scrubbed];
}
