import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Server } from 'node:http';
import { signToken } from '@cadre/platform';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PUBLIC_OPERATIONS = [
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /v1/integration/schemas',
];

interface Operation {
  readonly method: (typeof METHODS)[number];
  readonly path: string;
  readonly open: boolean;
}

/**
 * Authentication first (issue 12, item 3): every operation of the document that is not public
 * answers a request without a valid token with 401 problem+json, whatever else is wrong with it —
 * garbage path parameters and query, a malformed JSON body (or an empty one), bad Idempotency-Key
 * and If-Match headers — before any of that is looked at.
 */
describe('authentication comes first', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let operations: Operation[];

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { CADRE_AUTH_FAILURES_PER_MINUTE: '0' } });
    server = subject.app.getHttpServer();
    const document = (await request(server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({
        method,
        path,
        open: item[method].security?.length === 0,
      })),
    );
  });
  afterAll(() => subject?.close());

  it('knows which operations are public', () => {
    const open = operations.filter((o) => o.open).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(open.sort()).toEqual(PUBLIC_OPERATIONS);
    expect(operations.filter((o) => !o.open).length).toBeGreaterThan(50);
  });

  const garbled = (operation: Operation, authorization: string | undefined, body: string) => {
    const path = operation.path.replace(/\{[^}]+\}/g, '%27%3B--%20not-an-id~!$');
    let call = request(server)
      [operation.method](`${path}?limit=-1&minPosition=bogus&unknown=1&after=nope`)
      .set('idempotency-key', 'x'.repeat(300))
      .set('if-match', 'not a revision');
    if (authorization !== undefined) call = call.set('authorization', authorization);
    if (operation.method === 'get') return call;
    return call.set('content-type', 'application/json').send(body);
  };

  it.each([
    ['no token', () => Promise.resolve(undefined), 'AUTH.TOKEN_MISSING'],
    ['a malformed token', () => Promise.resolve('Bearer not.a.token'), 'AUTH.TOKEN_INVALID'],
    ['another scheme', () => Promise.resolve('Basic YWxpY2U6c2VjcmV0'), 'AUTH.TOKEN_INVALID'],
    [
      'a token signed with another secret',
      async () =>
        `Bearer ${await signToken({ sub: 'mallory', roles: ['admin'], jurisdictions: ['*'] }, 'x'.repeat(48))}`,
      'AUTH.TOKEN_INVALID',
    ],
  ])(
    'answers every non-public operation with %s by 401 problem+json, body and parameters unread',
    async (_case, authorization, code) => {
      const header = await authorization();
      const answers: string[] = [];
      for (const operation of operations.filter((o) => !o.open)) {
        for (const body of ['{"broken": ', '']) {
          const res = await garbled(operation, header, body);
          const got = `${res.status} ${String(res.headers['content-type']).split(';')[0]} ${res.body?.code}`;
          answers.push(
            `${operation.method.toUpperCase()} ${operation.path} (body ${JSON.stringify(body)}): ${got}`,
          );
        }
      }
      const wrong = answers.filter((answer) => !answer.endsWith(`: 401 application/problem+json ${code}`));
      expect(wrong).toEqual([]);
    },
  );

  it('still answers the public operations without a token', async () => {
    await request(server).get('/health/live').expect(200);
    await request(server).get('/v1/integration/schemas').expect(200);
    await request(server).get('/docs-json').expect(200);
  });
});
