import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { CLOCK_SKEW_SECONDS, JwtVerifier, signToken } from './jwt.js';

const SECRET = 's'.repeat(40);
const verifier = new JwtVerifier(SECRET);
const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

/** A token with exactly these claims (no defaults): what another issuer might send. */
async function tokenWith(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL'], ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(SECRET));
}

describe('JwtVerifier', () => {
  it('accepts the tokens signToken makes (12 hours, the default maximum)', async () => {
    const token = await signToken({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL', '*'] }, SECRET);
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'alice',
      roles: ['manager'],
      jurisdictions: ['AL', '*'],
    });
    await expect(
      verifier.verify(await tokenWith({ iat: now(), exp: now() + 12 * HOUR })),
    ).resolves.toBeTruthy();
  });

  it.each([
    ['exp in the year 300 000 000', { iat: now(), exp: 1e16 }],
    ['a lifetime one second over 12 hours', { iat: now(), exp: now() + 12 * HOUR + 1 }],
    ['a 13-hour token issued an hour ago', { iat: now() - HOUR, exp: now() + 12 * HOUR }],
  ])('refuses %s: AUTH.TOKEN_LIFETIME_TOO_LONG', async (_case, claims) => {
    await expect(verifier.verify(await tokenWith(claims))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
      category: 'unauthenticated',
    });
  });

  it('refuses a token without iat, whose lifetime cannot be told: AUTH.TOKEN_INVALID', async () => {
    await expect(verifier.verify(await tokenWith({ exp: now() + HOUR }))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });

  it('takes its maximum lifetime from the policy (CADRE_TOKEN_MAX_HOURS)', async () => {
    const strict = new JwtVerifier(SECRET, { maxHours: 1, jurisdictions: ['AL'] });
    await expect(strict.verify(await tokenWith({ iat: now(), exp: now() + 2 * HOUR }))).rejects.toMatchObject(
      {
        code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
        details: { maxLifetimeSeconds: HOUR },
      },
    );
    await expect(strict.verify(await tokenWith({ iat: now(), exp: now() + HOUR }))).resolves.toBeTruthy();
  });

  it.each([
    ['iat a day in the future', { iat: now() + 24 * HOUR, exp: now() + 25 * HOUR }, 'iat'],
    ['iat two minutes in the future', { iat: now() + 120, exp: now() + HOUR }, 'iat'],
    ['nbf a day in the future', { iat: now(), nbf: now() + 24 * HOUR, exp: now() + 12 * HOUR }, 'nbf'],
  ])('refuses %s: AUTH.TOKEN_NOT_YET_VALID', async (_case, claims, claim) => {
    await expect(verifier.verify(await tokenWith(claims))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_NOT_YET_VALID',
      details: { claim },
    });
  });

  it(`tolerates a clock ${CLOCK_SKEW_SECONDS} s ahead of ours at most`, async () => {
    const ahead = now() + CLOCK_SKEW_SECONDS - 10;
    await expect(
      verifier.verify(await tokenWith({ iat: ahead, nbf: ahead, exp: ahead + HOUR })),
    ).resolves.toBeTruthy();
  });

  it.each([
    ['an unknown jurisdiction', ['XX']],
    ['a known and an unknown one', ['AL', 'XX']],
    ['no jurisdiction', []],
    ['a lower-case code', ['al']],
  ])('refuses %s: AUTH.TOKEN_INVALID naming the claim', async (_case, jurisdictions) => {
    const token = await tokenWith({ jurisdictions, iat: now(), exp: now() + HOUR });
    await expect(verifier.verify(token)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
      details: { claim: 'jurisdictions' },
    });
  });

  it('admits the jurisdictions of its policy (CADRE_JURISDICTIONS) and the regional *', async () => {
    const other = new JwtVerifier(SECRET, { maxHours: 12, jurisdictions: ['XX'] });
    const claims = { iat: now(), exp: now() + HOUR };
    await expect(
      other.verify(await tokenWith({ ...claims, jurisdictions: ['XX', '*'] })),
    ).resolves.toMatchObject({
      jurisdictions: ['XX', '*'],
    });
    await expect(other.verify(await tokenWith({ ...claims, jurisdictions: ['AL'] }))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });
});
