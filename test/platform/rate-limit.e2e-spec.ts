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

describe('rate limits on authentication failures and public routes (issue 12, item 13)', () => {
  const started: PlatformTestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const subject = await startPlatformTestApp({ env });
    started.push(subject);
    return { subject, server: subject.app.getHttpServer() as Server };
  };
  afterAll(async () => {
    for (const subject of started) await subject.close();
  });

  it('throttles bad tokens per client address (429 past the limit), while a valid token still passes', async () => {
    const { subject, server } = await start({ CADRE_AUTH_FAILURES_PER_MINUTE: '3' });
    const bad = (forwarded?: string) => {
      const call = request(server).get('/v1/frameworks/none').set('Authorization', 'Bearer not-a-token');
      return forwarded ? call.set('X-Forwarded-For', forwarded) : call;
    };
    expect([(await bad()).status, (await bad()).status, (await bad()).status]).toEqual([401, 401, 401]);
    const limited = await bad();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'REQUEST.RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Without CADRE_TRUST_PROXY, X-Forwarded-For is not believed: the same address, still limited.
    expect((await bad('203.0.113.7')).status).toBe(429);
    const valid = `Bearer ${await subject.token({ sub: 'ana', roles: ['auditor'], jurisdictions: ['*'] })}`;
    await request(server).get('/v1/frameworks/none').set('Authorization', valid).expect(404);
  });

  it('believes X-Forwarded-For only with CADRE_TRUST_PROXY: each forwarded client has its own count', async () => {
    const { server } = await start({ CADRE_AUTH_FAILURES_PER_MINUTE: '2', CADRE_TRUST_PROXY: 'true' });
    const bad = (forwarded: string) =>
      request(server)
        .get('/v1/frameworks/none')
        .set('Authorization', 'Bearer not-a-token')
        .set('X-Forwarded-For', forwarded);
    const first = [
      (await bad('203.0.113.1')).status,
      (await bad('203.0.113.1')).status,
      (await bad('203.0.113.1')).status,
    ];
    expect(first).toEqual([401, 401, 429]);
    expect((await bad('203.0.113.2')).status).toBe(401);
  });

  it('never limits the health probes, while other public routes share one bucket per address', async () => {
    const { server } = await start({ CADRE_RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 6; i += 1) await request(server).get('/health/live').expect(200);
    const metrics: number[] = [];
    for (let i = 0; i < 4; i += 1) metrics.push((await request(server).get('/metrics')).status);
    expect(metrics).toEqual([200, 200, 200, 429]);
    await request(server).get('/health/ready').expect(200);
  });
});
