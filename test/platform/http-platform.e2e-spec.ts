import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Server } from 'node:http';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';
import { SampleRoutesModule, UndeclaredRouteModule } from './support/sample-routes.module.js';

describe('the HTTP platform', () => {
  let subject: PlatformTestApp;
  let server: Server;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ extraModules: [SampleRoutesModule] });
    server = subject.app.getHttpServer();
  });

  afterAll(async () => {
    await subject?.close();
  });

  describe('open routes', () => {
    it('answers /health/live and /health/ready without a token', async () => {
      await request(server)
        .get('/health/live')
        .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
      const ready = await request(server).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        details: { eventStore: { status: 'up' }, readModelDatabase: { status: 'up' } },
      });
    });

    it('serves the OpenAPI document with bearer auth declared, and Swagger UI', async () => {
      const { body } = await request(server).get('/docs-json').expect(200);
      expect(body.openapi).toMatch(/^3\./);
      expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(body.security).toEqual([{ bearer: [] }]);
      expect(body.paths['/health/ready'].get.security).toEqual([]);
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
      const ui = await request(server).get('/docs').redirects(1).expect(200);
      expect(ui.text).toContain('swagger');
    });

    it('exposes Prometheus metrics: defaults, HTTP durations and event-store appends', async () => {
      await request(server)
        .post('/sample/events')
        .set('authorization', `Bearer ${await subject.token()}`)
        .expect(201);
      const { text, headers } = await request(server).get('/metrics').expect(200);
      expect(headers['content-type']).toMatch(/^text\/plain/);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toMatch(
        /cadre_http_request_duration_seconds_count\{method="POST",route="\/sample\/events",status_code="201"\} 1/,
      );
      expect(text).toMatch(/cadre_event_store_append_seconds_count\{outcome="ok"\} 1/);
      expect(text).toContain('# TYPE cadre_subscription_position gauge');
    });
  });

  describe('authentication and roles', () => {
    it('refuses a request without a token with a 401 problem', async () => {
      const res = await request(server).post('/sample').send({ name: 'a', count: 1 }).expect(401);
      expectProblem(res, 401, 'AUTH.TOKEN_MISSING');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('refuses a forged token', async () => {
      const token = await subject.token();
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      const res = await request(server).post('/sample').set('authorization', `Bearer ${forged}`).expect(401);
      expectProblem(res, 401, 'AUTH.TOKEN_INVALID');
    });

    it('refuses an expired token', async () => {
      const expired = await subject.token({ expiresInSeconds: -120 });
      const res = await request(server).post('/sample').set('authorization', `Bearer ${expired}`).expect(401);
      expectProblem(res, 401, 'AUTH.TOKEN_EXPIRED');
    });

    it('refuses a role the route does not admit with a 403 problem', async () => {
      const res = await request(server)
        .get('/sample/audit')
        .set('authorization', `Bearer ${await subject.token({ roles: ['manager'] })}`)
        .expect(403);
      expectProblem(res, 403, 'AUTH.ROLE_NOT_ADMITTED');
      expect(res.body.admittedRoles).toEqual(['auditor']);
    });

    it('refuses to start when a route declares neither roles nor @Public()', async () => {
      await expect(startPlatformTestApp({ extraModules: [UndeclaredRouteModule] })).rejects.toThrow(
        /ForgottenController\.undeclared/,
      );
    });

    it('gives the route the actor of the token', async () => {
      const res = await request(server)
        .post('/sample')
        .set('authorization', `Bearer ${await subject.token({ sub: 'bob', jurisdictions: ['BA', 'ME'] })}`)
        .send({ name: 'ok', count: 3 })
        .expect(201);
      expect(res.body.actor).toEqual({ sub: 'bob', roles: ['manager'], jurisdictions: ['BA', 'ME'] });
      expect(res.body.isDto).toBe(true);
    });
  });

  describe('problem details', () => {
    let token: string;
    beforeAll(async () => {
      token = await subject.token();
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await request(server).get('/no/such/route').expect(404);
      expectProblem(res, 404, 'HTTP.NOT_FOUND');
      expect(res.body.instance).toBe('/no/such/route');
    });

    it('names each invalid field and refuses unknown ones (400)', async () => {
      const res = await request(server)
        .post('/sample')
        .set('authorization', `Bearer ${token}`)
        .send({ name: 42, count: -1, tags: [{ label: 'x'.repeat(11) }], admin: true })
        .expect(400);
      expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
      const fields = (res.body.violations as { field: string }[]).map((v) => v.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'count', 'tags.0.label', 'admin']));
      expect(res.body.detail).toContain('tags.0.label');
    });

    it('refuses a body over 256 kB with 413', async () => {
      const res = await request(server)
        .post('/sample')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(300 * 1024), count: 1 }))
        .expect(413);
      expectProblem(res, 413, 'REQUEST.BODY_TOO_LARGE');
    });

    it('refuses malformed JSON with 400', async () => {
      const res = await request(server)
        .post('/sample')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send('{"name": "a", count: }')
        .expect(400);
      expectProblem(res, 400, 'REQUEST.MALFORMED_JSON');
    });

    it('renders a domain refusal with its code, sentence and details (422)', async () => {
      const res = await request(server)
        .get('/sample/refusal')
        .set('authorization', `Bearer ${token}`)
        .expect(422);
      expectProblem(res, 422, 'TEAM.MEMBER_NOT_QUALIFIED');
      expect(res.body.detail).toBe('Alice does not hold the risk assessment competency.');
      expect(res.body.violations).toEqual([
        { role: 'lead', competency: 'risk-assessment', requiredLevel: 2, held: null },
      ]);
    });

    it('answers a bug with a generic 500 and logs it with the correlation id', async () => {
      const res = await request(server)
        .get('/sample/bug')
        .set('authorization', `Bearer ${token}`)
        .set('x-correlation-id', 'bug-report-1')
        .expect(500);
      expectProblem(res, 500, 'INTERNAL.UNEXPECTED');
      expect(res.text).not.toContain('internal detail');
      const logged = subject.logs.find(
        (line) => line.correlationId === 'bug-report-1' && line.level === 'error',
      );
      expect(logged).toMatchObject({
        code: 'INTERNAL.UNEXPECTED',
        err: { message: expect.stringContaining('internal detail') },
      });
    });
  });

  describe('correlation and logs', () => {
    it("echoes the caller's correlation id, or makes one", async () => {
      const given = await request(server).get('/health/live').set('x-correlation-id', 'abc-123').expect(200);
      expect(given.headers['x-correlation-id']).toBe('abc-123');
      const made = await request(server)
        .get('/health/live')
        .set('x-correlation-id', 'not acceptable: spaces and ; semicolons')
        .expect(200);
      expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('writes one JSON line per request with the correlation id, and never the token', async () => {
      const token = await subject.token();
      await request(server)
        .post('/sample')
        .set('authorization', `Bearer ${token}`)
        .set('x-correlation-id', 'log-check-1')
        .send({ name: 'n', count: 1 })
        .expect(201);
      const line = subject.logs.find(
        (l) => l.correlationId === 'log-check-1' && l.msg === 'request completed',
      );
      expect(line).toMatchObject({ method: 'POST', route: '/sample', statusCode: 201, level: 'info' });
      expect(JSON.stringify(subject.logs)).not.toContain(token);
    });
  });
});

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(res.body).toMatchObject({
    type: `urn:cadre:problem:${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    correlationId: res.headers['x-correlation-id'],
  });
}
