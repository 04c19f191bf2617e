import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@cadre/kernel';
import type { Role } from './roles.js';

export const PUBLIC_ROUTE = 'cadre:public-route';
export const ROUTE_ROLES = 'cadre:route-roles';

/** The route needs no token (health, metrics, docs). Everything else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The roles a route admits (any one of them suffices); on a controller, for all its routes unless
 * a route says otherwise. A route with neither `@Roles` nor `@Public` admits nobody.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ROLES, roles);

/** The authenticated caller: `sub`, roles and jurisdictions, as the guard verified them. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('@CurrentActor() used on a route without authentication (a @Public() route?)');
  return actor;
});
