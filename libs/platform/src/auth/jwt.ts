import { errors, jwtVerify, SignJWT } from 'jose';
import type { Actor } from '@cadre/kernel';
import { DEFAULT_JURISDICTIONS, DEFAULT_TOKEN_MAX_HOURS } from '../config/app-config.js';
import { UnauthenticatedError } from './auth.errors.js';
import { isRole, JURISDICTION_CLAIM, REGIONAL_JURISDICTION, type Role } from './roles.js';

const ALGORITHM = 'HS256';
/** How far the issuer's clock may be from ours, either way (`iat`, `nbf` and `exp`). */
export const CLOCK_SKEW_SECONDS = 60;

/** What a token may claim beyond its signature: how long it lives, which jurisdictions it names. */
export interface TokenPolicy {
  /** The longest lifetime (`exp - iat`) a token may have, in hours (CADRE_TOKEN_MAX_HOURS). */
  readonly maxHours: number;
  /** The jurisdictions a token may name, besides the regional `*` (CADRE_JURISDICTIONS). */
  readonly jurisdictions: readonly string[];
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  maxHours: DEFAULT_TOKEN_MAX_HOURS,
  jurisdictions: DEFAULT_JURISDICTIONS,
};

/**
 * Verifies HS256 bearer tokens and turns their claims into the {@link Actor} that commands carry
 * into event metadata. A token must have `sub`, `roles`, `jurisdictions`, `iat` and `exp`; it may
 * live at most {@link TokenPolicy.maxHours} (`exp - iat`), may not be issued (`iat`) or start
 * (`nbf`) more than {@link CLOCK_SKEW_SECONDS} in the future, and names at least one jurisdiction,
 * each among {@link TokenPolicy.jurisdictions} or `*`. Anything else about it that is wrong is a
 * 401 with a stable code, never a 500.
 */
export class JwtVerifier {
  private readonly key: Uint8Array;
  private readonly maxLifetimeSeconds: number;
  private readonly jurisdictions: ReadonlySet<string>;

  constructor(secret: string, policy: TokenPolicy = DEFAULT_TOKEN_POLICY) {
    this.key = new TextEncoder().encode(secret);
    this.maxLifetimeSeconds = policy.maxHours * 3600;
    this.jurisdictions = new Set([...policy.jurisdictions, REGIONAL_JURISDICTION]);
  }

  async verify(token: string): Promise<Actor> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        requiredClaims: ['sub', 'iat', 'exp'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new UnauthenticatedError('AUTH.TOKEN_EXPIRED', 'The bearer token has expired: get a new one.');
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw notYetValid('nbf');
      }
      throw new UnauthenticatedError('AUTH.TOKEN_INVALID', 'The bearer token is not valid for this API.');
    }
    this.checkLifetime(payload.iat as number, payload.exp as number);
    return this.actorFromClaims(payload);
  }

  private checkLifetime(iat: number, exp: number): void {
    if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) throw notYetValid('iat');
    if (exp - iat > this.maxLifetimeSeconds) {
      throw new UnauthenticatedError(
        'AUTH.TOKEN_LIFETIME_TOO_LONG',
        `The bearer token lives longer than the ${this.maxLifetimeSeconds / 3600} hours this API accepts (exp - iat): get a shorter-lived one.`,
        { maxLifetimeSeconds: this.maxLifetimeSeconds },
      );
    }
  }

  private actorFromClaims(payload: Record<string, unknown>): Actor {
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
      jurisdictions.length === 0 ||
      !jurisdictions.every(
        (code) => typeof code === 'string' && JURISDICTION_CLAIM.test(code) && this.jurisdictions.has(code),
      )
    ) {
      invalid('jurisdictions', `must list at least one of ${[...this.jurisdictions].join(', ')}`);
    }
    return {
      sub: sub as string,
      roles: [...new Set(roles as Role[])],
      jurisdictions: [...new Set(jurisdictions as string[])],
    };
  }
}

const notYetValid = (claim: 'iat' | 'nbf'): UnauthenticatedError =>
  new UnauthenticatedError(
    'AUTH.TOKEN_NOT_YET_VALID',
    `The bearer token's "${claim}" lies more than ${CLOCK_SKEW_SECONDS} s in the future: check the issuer's clock.`,
    { claim },
  );

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
    .setExpirationTime(now + (claims.expiresInSeconds ?? DEFAULT_TOKEN_MAX_HOURS * 3600))
    .sign(new TextEncoder().encode(secret));
}
