import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, ROUTE_ROLES } from './auth.decorators.js';

/**
 * Every route names the roles it admits: a route with neither `@Roles(...)` nor `@Public()`
 * stops the start, naming it, instead of answering 403 to everybody in production.
 */
@Injectable()
export class RouteRolesAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner
        .getAllMethodNames(prototype)
        .filter((name) => {
          const handler = prototype[name] as object;
          const isRoute =
            Reflect.getMetadata(PATH_METADATA, handler) !== undefined &&
            Reflect.getMetadata(METHOD_METADATA, handler) !== undefined;
          if (!isRoute) return false;
          const targets = [handler as () => void, metatype];
          const open = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets);
          const roles = this.reflector.getAllAndOverride<unknown[] | undefined>(ROUTE_ROLES, targets) ?? [];
          return !open && roles.length === 0;
        })
        .map((name) => `${metatype.name}.${name}`);
    });
    if (undeclared.length > 0) {
      throw new Error(
        `Every route must declare @Roles(...) or @Public(); these do not: ${undeclared.join(', ')}`,
      );
    }
  }
}
