import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

describe('per-caller rate limits', () => {
  let subject: PlatformTestApp;
  let server: Server;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { CADRE_RATE_LIMIT_PER_MINUTE: '5' } });
    server = subject.app.getHttpServer();
  });
  afterAll(async () => subject?.close());

  it('answers 429 with Retry-After past the limit, counting each caller on its own', async () => {
    const alice = `Bearer ${await subject.token({ sub: 'alice', roles: ['auditor'], jurisdictions: ['*'] })}`;
    const bob = `Bearer ${await subject.token({ sub: 'bob', roles: ['auditor'], jurisdictions: ['*'] })}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await request(server).get('/v1/frameworks/none').set('Authorization', alice)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses[5]).toBe(429);
    const limited = await request(server).get('/v1/frameworks/none').set('Authorization', alice).expect(429);
    expect(limited.body).toMatchObject({ code: 'REQUEST.RATE_LIMITED', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    await request(server).get('/v1/frameworks/none').set('Authorization', bob).expect(404);
  });
});
