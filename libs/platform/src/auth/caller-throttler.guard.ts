import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CadreError, type Actor } from '@cadre/kernel';
import { AppConfig } from '../config/app-config.js';

export class RateLimitedError extends CadreError {
  readonly category = 'rate_limited' as const;
  constructor(retryAfterSeconds: number) {
    super('REQUEST.RATE_LIMITED', `Too many requests from this caller; retry in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

const WINDOW_MS = 60_000;
/** Beyond this many callers in a window, the oldest windows are dropped (bounded memory). */
const MAX_TRACKED = 100_000;

/**
 * Per-caller rate limit, CADRE_RATE_LIMIT_PER_MINUTE requests per minute: counted by the token's
 * subject once authenticated (the auth guard runs first), by address otherwise; 429 with
 * Retry-After when exceeded. Fixed one-minute windows per process (see decision 0006 for why this
 * is not @nestjs/throttler).
 */
@Injectable()
export class CallerThrottlerGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.config.CADRE_RATE_LIMIT_PER_MINUTE;
    if (limit === 0 || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ actor?: Actor; ip?: string }>();
    const key = request.actor ? `sub:${request.actor.sub}` : `ip:${request.ip ?? 'unknown'}`;
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.windows.clear();
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      context.switchToHttp().getResponse<FastifyReply>().header('x-ratelimit-limit', String(limit));
      throw new RateLimitedError(retryAfter);
    }
    return true;
  }
}
