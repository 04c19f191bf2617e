import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { startPlatformTestApp, TEST_JWT_SECRET, type PlatformTestApp } from './support/platform-test-app.js';

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the app's secret carrying exactly these claims, as a careless issuer makes them. */
const tokenWith = (claims: Record<string, unknown>): Promise<string> =>
  new SignJWT({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL'], ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));

/**
 * Tokens are not accepted loosely (issue 12, item 12): a token that lives too long, is issued or
 * valid only in the future, or names no jurisdiction or one the deployment does not have, is a 401
 * with a stable code, on every route.
 */
describe('the token policy', () => {
  describe('by default (12 hours, AL BA XK ME MK RS and *)', () => {
    let subject: PlatformTestApp;
    const staff = () => `/v1/staff/${randomUUID()}`;

    beforeAll(async () => {
      subject = await startPlatformTestApp();
    });
    afterAll(() => subject?.close());

    it.each([
      ['exp 1e16', () => ({ iat: now(), exp: 1e16 }), 'AUTH.TOKEN_LIFETIME_TOO_LONG'],
      ['a 13-hour lifetime', () => ({ iat: now(), exp: now() + 13 * HOUR }), 'AUTH.TOKEN_LIFETIME_TOO_LONG'],
      ['no iat', () => ({ exp: now() + HOUR }), 'AUTH.TOKEN_INVALID'],
      [
        'iat a day in the future',
        () => ({ iat: now() + 24 * HOUR, exp: now() + 25 * HOUR }),
        'AUTH.TOKEN_NOT_YET_VALID',
      ],
      [
        'nbf a day in the future',
        () => ({ iat: now(), nbf: now() + 24 * HOUR, exp: now() + HOUR }),
        'AUTH.TOKEN_NOT_YET_VALID',
      ],
      [
        'jurisdictions ["XX"]',
        () => ({ iat: now(), exp: now() + HOUR, jurisdictions: ['XX'] }),
        'AUTH.TOKEN_INVALID',
      ],
      [
        'jurisdictions []',
        () => ({ iat: now(), exp: now() + HOUR, jurisdictions: [] }),
        'AUTH.TOKEN_INVALID',
      ],
    ])('refuses a token with %s: 401', async (_case, claims, code) => {
      const res = await request(subject.app.getHttpServer())
        .get(staff())
        .set('authorization', `Bearer ${await tokenWith(claims())}`)
        .expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe(code);
    });

    it('accepts a sound token: 12 hours, issued now, a known jurisdiction and *', async () => {
      const token = await tokenWith({ iat: now(), exp: now() + 12 * HOUR, jurisdictions: ['AL', '*'] });
      const res = await request(subject.app.getHttpServer())
        .get(staff())
        .set('authorization', `Bearer ${token}`);
      expect([res.status, res.body.code]).toEqual([404, 'STAFF.NOT_FOUND']);
    });
  });

  describe('as configured (CADRE_TOKEN_MAX_HOURS=1, CADRE_JURISDICTIONS=AL,XX)', () => {
    let subject: PlatformTestApp;

    beforeAll(async () => {
      subject = await startPlatformTestApp({
        env: { CADRE_TOKEN_MAX_HOURS: '1', CADRE_JURISDICTIONS: 'AL,XX' },
      });
    });
    afterAll(() => subject?.close());

    it('refuses what the configuration refuses and admits what it admits', async () => {
      const call = async (claims: Record<string, unknown>) => {
        const res = await request(subject.app.getHttpServer())
          .get(`/v1/staff/${randomUUID()}`)
          .set('authorization', `Bearer ${await tokenWith({ iat: now(), exp: now() + HOUR, ...claims })}`);
        return `${res.status} ${res.body.code}`;
      };
      expect(await call({ exp: now() + 2 * HOUR })).toBe('401 AUTH.TOKEN_LIFETIME_TOO_LONG');
      expect(await call({ jurisdictions: ['BA'] })).toBe('401 AUTH.TOKEN_INVALID');
      expect(await call({ jurisdictions: ['XX'] })).toBe('404 STAFF.NOT_FOUND');
      expect(await call({})).toBe('404 STAFF.NOT_FOUND');
    });
  });
});
