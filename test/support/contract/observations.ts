import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CONTRACT_DIR_ENV, DOCUMENT_FILE, OBSERVATIONS_PREFIX, type Observation } from './check-contract.js';

/**
 * Test-only: appends every response of `app` to a JSONL file of the run, and writes the run's
 * OpenAPI document once, for the check that global-teardown.ts runs after the last e2e file.
 * Call before `app.init()`. Does nothing outside an e2e run.
 */
export function recordObservations(
  app: NestFastifyApplication,
  options: { readonly testRoutes: boolean; readonly testPath: string | null },
): void {
  const dir = process.env[CONTRACT_DIR_ENV];
  if (!dir) return;
  const file = join(dir, `${OBSERVATIONS_PREFIX}${process.pid}.jsonl`);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const route = request.routeOptions.url;
      if (route && !route.startsWith('/docs') && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
        const body =
          typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
        const contentType = reply.getHeader('content-type');
        const observation: Observation = {
          method: request.method,
          route,
          status: reply.statusCode,
          contentType: typeof contentType === 'string' ? contentType : null,
          body: payload === undefined || payload === null ? '' : body,
          ...options,
        };
        appendFileSync(file, `${JSON.stringify(observation)}\n`);
      }
      done(null, payload);
    });
}

/** Writes the run's document (what `/docs-json` serves) once, from an app without test-only routes. */
export function recordDocument(document: () => object): void {
  const dir = process.env[CONTRACT_DIR_ENV];
  if (!dir || existsSync(join(dir, DOCUMENT_FILE))) return;
  writeFileSync(join(dir, DOCUMENT_FILE), JSON.stringify(document()));
}
