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
  const record = (
    method: string,
    route: string | undefined,
    status: number,
    contentType: unknown,
    body: string | null,
  ) => {
    if (!route || route.startsWith('/docs') || method === 'HEAD' || method === 'OPTIONS') return;
    const observation: Observation = {
      method,
      route,
      status,
      contentType: typeof contentType === 'string' ? contentType : null,
      body,
      ...options,
    };
    appendFileSync(file, `${JSON.stringify(observation)}\n`);
  };
  const fastify = app.getHttpAdapter().getInstance();
  const sent = new WeakSet<object>();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    sent.add(request.raw);
    const body =
      payload === undefined || payload === null
        ? ''
        : typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : null;
    record(request.method, request.routeOptions.url, reply.statusCode, reply.getHeader('content-type'), body);
    done(null, payload);
  });
  // A hijacked reply (the server-sent event stream) skips onSend and writes its head itself: its
  // status and content type are taken from that head, and it is recorded when it closes.
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    let contentType: unknown = null;
    const writeHead = raw.writeHead.bind(raw) as (...args: unknown[]) => typeof raw;
    raw.writeHead = ((...args: unknown[]) => {
      const headers = args.find((arg) => arg !== null && typeof arg === 'object' && !Array.isArray(arg));
      if (headers) contentType = (headers as Record<string, unknown>)['content-type'];
      return writeHead(...args);
    }) as typeof raw.writeHead;
    raw.once('close', () => {
      if (sent.has(request.raw)) return;
      record(
        request.method,
        request.routeOptions.url,
        raw.statusCode,
        raw.getHeader('content-type') ?? contentType,
        null,
      );
    });
    done();
  });
}

/** Writes the run's document (what `/docs-json` serves) once, from an app without test-only routes. */
export function recordDocument(document: () => object): void {
  const dir = process.env[CONTRACT_DIR_ENV];
  if (!dir || existsSync(join(dir, DOCUMENT_FILE))) return;
  writeFileSync(join(dir, DOCUMENT_FILE), JSON.stringify(document()));
}
