import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@cadre/kernel';
import { PUBLIC_ROUTE } from './auth.decorators.js';
import { bearerToken } from './auth.guard.js';
import { JwtVerifier } from './jwt.js';
import { AppConfig } from '../config/app-config.js';
import { RateLimitedError } from './caller-throttler.guard.js';
import { FixedWindows } from './fixed-windows.js';

/**
 * Authentication first: the bearer token of a request to a route that is not `@Public()` is
 * verified in Fastify's `onRequest` hook (see `installRequestHooks`), before Fastify reads or
 * parses the body and before Nest looks at parameters, the query, headers such as
 * `Idempotency-Key` or `If-Match`, or the body. So a request without a valid token is a 401,
 * never a 400, 404, 413 or 415 that would tell it something about the route. The verified actor
 * is left on the request for {@link AuthGuard}, which then checks the roles the route admits.
 *
 * Routes that no controller declares (the documentation at `/docs`, unknown paths) are left to
 * what serves them; a controller route whose path is not recognised here is still
 * authenticated, by the guard.
 */
@Injectable()
export class RequestAuthentication implements OnApplicationBootstrap {
  /** `GET /v1/staff/:id` → whether that controller route is public. */
  private routes: ReadonlyMap<string, boolean> | null = null;
  /** Authentication failures per client address (CADRE_AUTH_FAILURES_PER_MINUTE). */
  private readonly failures = new FixedWindows();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.routes = this.controllerRoutes();
  }

  /** The `onRequest` hook: throws the 401 of a missing or invalid token on a non-public route. */
  async authenticate(request: FastifyRequest & { actor?: Actor }): Promise<void> {
    const url = request.routeOptions.url;
    if (url === undefined) return;
    this.routes ??= this.controllerRoutes();
    const open = this.routes.get(`${request.method} ${url}`) ?? this.routes.get(`ALL ${url}`);
    if (open !== false) return;
    const limit = this.config.CADRE_AUTH_FAILURES_PER_MINUTE;
    const address = `ip:${request.ip}`;
    try {
      request.actor = await this.verifier.verify(bearerToken(request.headers.authorization));
    } catch (error) {
      // Failures are counted per client address: past the limit, 429 instead of 401, so that
      // tokens cannot be guessed at the speed of the network.
      const retryAfter = limit > 0 ? this.failures.hit(address, limit) : null;
      if (retryAfter !== null) throw new RateLimitedError(retryAfter);
      throw error;
    }
  }

  private controllerRoutes(): Map<string, boolean> {
    const routes = new Map<string, boolean>();
    for (const { metatype, instance } of this.discovery.getControllers()) {
      if (!metatype || !instance) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
      const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, metatype) as unknown);
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (methodPaths === undefined || method === undefined) continue;
        const open = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, metatype]) === true;
        const verb = RequestMethod[method];
        for (const base of controllerPaths) {
          for (const path of asList(methodPaths)) {
            const url = joinPath(base, path);
            routes.set(`${verb} ${url}`, open);
            if (verb === 'GET') routes.set(`HEAD ${url}`, open);
          }
        }
      }
    }
    return routes;
  }
}

const asList = (paths: unknown): string[] =>
  Array.isArray(paths) ? paths.map(String) : [typeof paths === 'string' ? paths : ''];

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
