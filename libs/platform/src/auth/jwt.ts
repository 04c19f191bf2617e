import { errors, jwtVerify, SignJWT } from 'jose';
import type { Actor } from '@cadre/kernel';
import { UnauthenticatedError } from './auth.errors.js';
import { isRole, JURISDICTION_CLAIM, type Role } from './roles.js';

const ALGORITHM = 'HS256';
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies HS256 bearer tokens and turns their claims into the {@link Actor} that commands carry
 * into event metadata. A token must have `sub`, `roles`, `jurisdictions` and `exp`; anything else
 * about it that is wrong is a 401, never a 500.
 */
export class JwtVerifier {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string): Promise<Actor> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new UnauthenticatedError('AUTH.TOKEN_EXPIRED', 'The bearer token has expired: get a new one.');
      }
      throw new UnauthenticatedError('AUTH.TOKEN_INVALID', 'The bearer token is not valid for this API.');
    }
    return actorFromClaims(payload);
  }
}

function actorFromClaims(payload: Record<string, unknown>): Actor {
  const { sub, roles, jurisdictions } = payload;
  const invalid = (claim: string, rule: string): never => {
    throw new UnauthenticatedError('AUTH.TOKEN_INVALID', `The bearer token's "${claim}" claim ${rule}.`, {
      claim,
    });
  };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    invalid('sub', 'must be a non-empty string');
  if (!Array.isArray(roles) || !roles.every(isRole)) {
    invalid('roles', 'must list roles among admin, training-coordinator, manager, auditor, hr-system');
  }
  if (
    !Array.isArray(jurisdictions) ||
    !jurisdictions.every((code) => typeof code === 'string' && JURISDICTION_CLAIM.test(code))
  ) {
    invalid('jurisdictions', 'must list jurisdiction codes or "*"');
  }
  return {
    sub: sub as string,
    roles: [...new Set(roles as Role[])],
    jurisdictions: [...new Set(jurisdictions as string[])],
  };
}

export interface TokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly jurisdictions: readonly string[];
  /** Lifetime in seconds (default 12 hours). Negative makes an already-expired token, for tests. */
  readonly expiresInSeconds?: number;
}

/** Signs a token as the API expects it: development tokens (`npm run token`) and tests. */
export async function signToken(claims: TokenClaims, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...claims.roles], jurisdictions: [...claims.jurisdictions] })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 12 * 3600))
    .sign(new TextEncoder().encode(secret));
}
