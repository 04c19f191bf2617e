import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from 'pino';
import { saidToTheOperator } from './operator-error.js';

/**
 * Nest's LoggerService over pino (nestjs-pino 5 needs Node 22 and nestjs-pino 4 refuses Nest 12,
 * see docs/decisions/0004-node20-package-versions.md). Nest calls `log(message, ...params)` where
 * the last string parameter is the context (the class name) and, for `error`, a stack may precede it.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    const order: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const lowest = order.find((level) => levels.includes(level));
    const pinoLevel = {
      verbose: 'trace',
      debug: 'debug',
      log: 'info',
      warn: 'warn',
      error: 'error',
      fatal: 'fatal',
    };
    this.logger.level = lowest ? pinoLevel[lowest] : 'silent';
  }

  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    const rest = [...params];
    const last = rest.at(-1);
    const context = typeof last === 'string' && !isStack(last) ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' && isStack(rest[0]) ? rest.shift() : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (rest.length > 0) fields.params = rest;
    if (message instanceof Error && saidToTheOperator(message)) {
      // The entry point says it in a sentence on stderr: the log line says it too, without a stack.
      this.logger[level]({ ...(context ? { context } : {}), type: message.name }, message.message);
    } else if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}

const isStack = (value: string): boolean => value.includes('\n    at ');
