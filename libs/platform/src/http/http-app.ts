import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { RequestAuthentication } from '../auth/request-authentication.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { CORRELATION_ID_HEADER, correlationIdFrom, runInRequestContext } from '../logging/request-context.js';
import {
  checkParameters,
  checkParsedBody,
  clientErrorHandler,
  depthLimitedJsonParser,
  frameworkErrors,
} from './request-edge.js';
import { ServiceStoppingError, Stopping } from './stopping.js';

/** The largest request body the API reads; larger ones are refused with 413 before parsing. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Fastify's options: our pino logger, the correlation id as the request id, the body limit, and
 * problem documents for what the router and Node.js refuse themselves (request-edge.ts).
 */
export function fastifyOptions(logger: Logger, options: { trustProxy?: boolean } = {}): FastifyServerOptions {
  return {
    loggerInstance: logger,
    // CADRE_TRUST_PROXY: the client address from X-Forwarded-For (rate limits count by it).
    trustProxy: options.trustProxy ?? false,
    // One line per request is written by the onResponse hook below, with the route pattern.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => correlationIdFrom(request.headers[CORRELATION_ID_HEADER]),
    frameworkErrors,
    clientErrorHandler,
  };
}

/**
 * Hooks every request goes through, 404s and refused bodies included: the correlation id (kept
 * for the request's async context and echoed to the caller), authentication before anything else
 * is looked at (RequestAuthentication: no body is read for a caller without a valid token), the
 * access log line and the request duration metric; the count of requests in flight, and the
 * refusal of new ones once the process is stopping (see {@link Stopping}); then what the edge
 * refuses (request-edge.ts): path and query parameters that are not plain text, JSON bodies nested
 * too deep (the JSON parser), bodies that are not an object or hold a lone surrogate. Call before
 * `init()`/`listen()`.
 */
export function installRequestHooks(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsRegistry);
  const authentication = app.get(RequestAuthentication);
  const stopping = app.get(Stopping);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_ID_HEADER, request.id);
    runInRequestContext({ correlationId: String(request.id) }, done);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    // Until the response is sent or the connection is gone (a stream ends, a client leaves).
    reply.raw.once('close', stopping.requestStarted());
    if (stopping.stopping) {
      void reply.header('connection', 'close');
      throw new ServiceStoppingError();
    }
  });
  fastify.addHook('onRequest', (request) => authentication.authenticate(request));
  fastify.addHook('onRequest', async (request) => checkParameters(request));
  app.useBodyParser(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    depthLimitedJsonParser(fastify.getDefaultJsonParser('error', 'error')),
  );
  fastify.addHook('preValidation', async (request) => checkParsedBody(request));
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    logger.info(
      {
        method: request.method,
        url: request.url.split('?')[0],
        route,
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });
}
