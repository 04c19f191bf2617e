import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

const REDOCLY_CONFIG = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Operation {
  readonly operationId: string;
  readonly security?: unknown[];
  readonly responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  readonly 'x-cadre-roles'?: string[];
  readonly description?: string;
}

/**
 * The contract (issue 11, item 5) as a document: Redocly's recommended rules pass without an error
 * or a warning, and every operation says who may call it and what it answers. That the app keeps
 * it is checked after the whole e2e layer (test/support/global-teardown.ts).
 */
describe('The OpenAPI document', () => {
  let subject: PlatformTestApp;
  let document: { paths: Record<string, Record<string, Operation>>; servers?: unknown[] };
  let operations: [string, Operation][];

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    const response = await request(subject.app.getHttpServer()).get('/docs-json').expect(200);
    document = response.body;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m): [string, Operation] => [`${m.toUpperCase()} ${path}`, item[m]]),
    );
  });
  afterAll(() => subject.close());

  it("passes Redocly's recommended rules (redocly.yaml) with no error and no warning", async () => {
    const config = await loadConfig({ configPath: REDOCLY_CONFIG });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: '/docs-json.json',
      config,
    });
    const report = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(report).toEqual([]);
  });

  it('names its servers', () => {
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('says for every operation who may call it: public (security: []) or the roles it admits', () => {
    for (const [name, operation] of operations) {
      const open = Array.isArray(operation.security) && operation.security.length === 0;
      if (open) {
        expect([name, operation.description]).toEqual([name, expect.stringContaining('Public')]);
      } else {
        expect([name, operation['x-cadre-roles']?.length]).toEqual([name, expect.any(Number)]);
        for (const role of operation['x-cadre-roles']!) {
          expect([name, operation.description]).toEqual([name, expect.stringContaining(`\`${role}\``)]);
        }
      }
    }
    const publicOnes = operations.filter(([, o]) => o.security?.length === 0).map(([name]) => name);
    expect(publicOnes.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'GET /v1/integration/schemas',
    ]);
  });

  it('declares a success response with its schema (or no content, 204) for every operation', () => {
    const undeclared = operations.flatMap(([name, operation]) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) return [`${name}: no 2xx`];
      return successes
        .filter(([status, response]) => {
          const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
          return status === '204' ? schemas.length > 0 : schemas.length === 0 || !schemas.every(Boolean);
        })
        .map(([status]) => `${name}: ${status} without a schema`);
    });
    expect(undeclared).toEqual([]);
  });

  it('declares every problem response as problem+json with the codes it can carry', () => {
    for (const [name, operation] of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const schema = response.content?.['application/problem+json']?.schema as
          { allOf: [{ $ref: string }, { properties: { code: { enum: string[] } } }] } | undefined;
        expect([name, status, schema?.allOf[0].$ref]).toEqual([
          name,
          status,
          '#/components/schemas/ProblemDetails',
        ]);
        expect([name, status, schema!.allOf[1].properties.code.enum.length > 0]).toEqual([
          name,
          status,
          true,
        ]);
      }
    }
  });
});
