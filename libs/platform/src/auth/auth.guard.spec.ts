import { describe, expect, it } from '@jest/globals';
import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@cadre/kernel';
import { Public, Roles } from './auth.decorators.js';
import { AccessDeniedError, UnauthenticatedError } from './auth.errors.js';
import { AuthGuard } from './auth.guard.js';
import { JwtVerifier, signToken, type TokenClaims } from './jwt.js';

const SECRET = 's'.repeat(40);
const guard = new AuthGuard(new Reflector(), new JwtVerifier(SECRET));
const manager: TokenClaims = { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] };

describe('AuthGuard', () => {
  it('lets a public route through without a token', async () => {
    await expect(guard.canActivate(call('health'))).resolves.toBe(true);
  });

  it('admits a token whose role the route admits, and gives the route its actor', async () => {
    const request = { headers: { authorization: `Bearer ${await signToken(manager, SECRET)}` } };
    await expect(guard.canActivate(call('teams', request))).resolves.toBe(true);
    expect((request as { actor?: Actor }).actor).toEqual({
      sub: 'alice',
      roles: ['manager'],
      jurisdictions: ['AL'],
    });
  });

  it('takes the actor RequestAuthentication verified before the body was read, and checks its roles', async () => {
    const actor: Actor = { sub: 'bob', roles: ['auditor'], jurisdictions: ['AL'] };
    await expect(guard.canActivate(call('audit', { headers: {}, actor }))).resolves.toBe(true);
    await expect(guard.canActivate(call('teams', { headers: {}, actor }))).rejects.toMatchObject({
      code: 'AUTH.ROLE_NOT_ADMITTED',
    });
  });

  it.each([
    ['no Authorization header', undefined, 'AUTH.TOKEN_MISSING'],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0', 'AUTH.TOKEN_INVALID'],
    ['garbage', 'Bearer not-a-jwt', 'AUTH.TOKEN_INVALID'],
  ])('refuses %s with 401', async (_case, authorization, code) => {
    await expect(guard.canActivate(call('teams', { headers: { authorization } }))).rejects.toMatchObject({
      code,
      category: 'unauthenticated',
    });
  });

  it('refuses a forged token (signed with another secret)', async () => {
    const forged = await signToken(manager, 'x'.repeat(40));
    await expect(guard.canActivate(call('teams', bearer(forged)))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });

  it('refuses an expired token', async () => {
    const expired = await signToken({ ...manager, expiresInSeconds: -120 }, SECRET);
    await expect(guard.canActivate(call('teams', bearer(expired)))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_EXPIRED',
    });
  });

  it('refuses a token with an unknown role or a malformed jurisdiction', async () => {
    const unknownRole = await signToken({ ...manager, roles: ['root' as 'admin'] }, SECRET);
    await expect(guard.canActivate(call('teams', bearer(unknownRole)))).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    const badJurisdiction = await signToken({ ...manager, jurisdictions: ['albania'] }, SECRET);
    await expect(guard.canActivate(call('teams', bearer(badJurisdiction)))).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
  });

  it('refuses a role the route does not admit with 403', async () => {
    const auditor = await signToken({ ...manager, roles: ['auditor'] }, SECRET);
    await expect(guard.canActivate(call('teams', bearer(auditor)))).rejects.toMatchObject({
      code: 'AUTH.ROLE_NOT_ADMITTED',
      category: 'forbidden',
    });
  });

  it('lets a method override the roles of its controller', async () => {
    const auditor = await signToken({ ...manager, roles: ['auditor'] }, SECRET);
    await expect(guard.canActivate(call('audit', bearer(auditor)))).resolves.toBe(true);
  });

  it('admits nobody on a route that declares no roles', async () => {
    const admin = await signToken({ ...manager, roles: ['admin'] }, SECRET);
    await expect(guard.canActivate(call('undeclared', bearer(admin)))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
  });
});

// Fixtures

@Roles('manager', 'admin')
@Controller()
class SampleController {
  @Public()
  @Get()
  health(): void {}

  @Get()
  teams(): void {}

  @Roles('auditor')
  @Get()
  audit(): void {}
}

@Controller()
class UndeclaredController {
  @Get()
  undeclared(): void {}
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

function call(
  handler: 'health' | 'teams' | 'audit' | 'undeclared',
  request: object = { headers: {} },
): ExecutionContext {
  const controller = handler === 'undeclared' ? UndeclaredController : SampleController;
  return {
    getHandler: () => (controller.prototype as unknown as Record<string, () => void>)[handler],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}
