import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@cadre/kernel';
import { PUBLIC_ROUTE, ROUTE_ROLES } from './auth.decorators.js';
import { AccessDeniedError, UnauthenticatedError } from './auth.errors.js';
import { JwtVerifier } from './jwt.js';
import type { Role } from './roles.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/**
 * The global guard: every route needs a valid bearer token whose roles it admits, except the
 * routes marked `@Public()`. Deny by default: a route that declares no roles admits nobody. Over
 * HTTP the token is verified earlier, before the body is read (RequestAuthentication); the guard
 * verifies it itself when that has not happened.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; actor?: Actor }>();
    // Over HTTP, RequestAuthentication has verified the token before the body was read.
    const actor = request.actor ?? (await this.verifier.verify(bearerToken(request.headers.authorization)));
    request.actor = actor;
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets) ?? [];
    if (!admitted.some((role) => actor.roles.includes(role))) {
      throw new AccessDeniedError(
        'AUTH.ROLE_NOT_ADMITTED',
        admitted.length === 0
          ? 'This route admits no role.'
          : `This route admits the roles ${admitted.join(', ')}; your token carries ${actor.roles.join(', ') || 'none'}.`,
        { admittedRoles: admitted },
      );
    }
    return true;
  }
}

/** The token of an `Authorization: Bearer <JWT>` header; a 401 without one. */
export function bearerToken(header: unknown): string {
  if (typeof header !== 'string' || header.length === 0) {
    throw new UnauthenticatedError(
      'AUTH.TOKEN_MISSING',
      'This route needs an "Authorization: Bearer <token>" header (development tokens: npm run token).',
    );
  }
  const match = BEARER.exec(header);
  if (!match) {
    throw new UnauthenticatedError('AUTH.TOKEN_INVALID', 'The Authorization header is not "Bearer <JWT>".');
  }
  return match[1];
}
