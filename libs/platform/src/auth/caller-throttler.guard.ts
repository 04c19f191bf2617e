import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CadreError, type Actor } from '@cadre/kernel';
import { AppConfig } from '../config/app-config.js';
import { FixedWindows } from './fixed-windows.js';

export class RateLimitedError extends CadreError {
  readonly category = 'rate_limited' as const;
  constructor(retryAfterSeconds: number) {
    super('REQUEST.RATE_LIMITED', `Too many requests from this caller; retry in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

/**
 * Per-caller rate limit, CADRE_RATE_LIMIT_PER_MINUTE requests per minute: counted by the token's
 * subject once authenticated (the auth guard runs first), by address otherwise; 429 with
 * Retry-After when exceeded; `/health/*` is never limited. Fixed one-minute windows per process (see decision 0006 for why this
 * is not @nestjs/throttler).
 */
@Injectable()
export class CallerThrottlerGuard implements CanActivate {
  private readonly windows = new FixedWindows();

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.config.CADRE_RATE_LIMIT_PER_MINUTE;
    if (limit === 0 || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ actor?: Actor; ip?: string; url?: string }>();
    // Health probes are never limited: a busy scraper behind the same address must not make an
    // orchestrator think the process is down.
    if (!request.actor && request.url?.startsWith('/health/')) return true;
    const key = request.actor ? `sub:${request.actor.sub}` : `ip:${request.ip ?? 'unknown'}`;
    const retryAfter = this.windows.hit(key, limit);
    if (retryAfter !== null) {
      context.switchToHttp().getResponse<FastifyReply>().header('x-ratelimit-limit', String(limit));
      throw new RateLimitedError(retryAfter);
    }
    return true;
  }
}
