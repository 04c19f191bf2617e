import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { Stopping } from './stopping.js';

/** How long requests in flight are given to finish once the stop begins (issue 12: 10 s). */
export const REQUESTS_GRACE_MS = 10_000;

export interface StopServingOptions {
  /** How long requests in flight may still take; their connections are closed after it. */
  readonly graceMs?: number;
  /** What stops the process (logged with the first step). */
  readonly signal?: string;
}

/**
 * The HTTP half of a stop (docs/decisions/0021-stopping.md), each step logged with the time since
 * the stop began: no new connection is accepted and new requests on open ones are refused (503
 * SERVICE.STOPPING, `Connection: close`); the feed's long-polls answer with the page they have
 * and its event streams close; requests in flight get `graceMs` to finish, after which their
 * connections are closed. The caller then closes the application (runners, pools, the embedded
 * cluster last).
 */
export async function stopServing(
  app: NestFastifyApplication,
  logger: Logger,
  options: StopServingOptions = {},
): Promise<void> {
  const graceMs = options.graceMs ?? REQUESTS_GRACE_MS;
  const stopping = app.get(Stopping);
  const server = app.getHttpServer() as Server;
  const began = Date.now();
  const since = (): number => Date.now() - began;
  stopping.begin();
  // Stops accepting connections and closes the idle ones; the callback waits for the rest.
  const closed = new Promise<void>((done) => server.close(() => done()));
  logger.info({ signal: options.signal, ms: since() }, 'stopping: no new requests');
  const requests = stopping.requestsInFlight;
  const waiting = stopping.waitingRequests();
  logger.info(
    { requests, longPolls: waiting['long-poll'], streams: waiting.stream },
    `stopping: ${requests} requests in flight`,
  );
  const answered = await stopping.until((s) => {
    const now = s.waitingRequests();
    return now['long-poll'] === 0 && now.stream === 0;
  }, graceMs);
  logger.info(
    { longPolls: waiting['long-poll'], streams: waiting.stream, ms: since() },
    answered ? 'long-polls answered' : 'long-polls not all answered in time',
  );
  const finished = await stopping.until((s) => s.requestsInFlight === 0, Math.max(0, graceMs - since()));
  if (finished) {
    logger.info({ ms: since() }, 'stopping: requests finished');
  } else {
    logger.warn(
      { requests: stopping.requestsInFlight, ms: since() },
      `stopping: ${stopping.requestsInFlight} requests still running after ${graceMs / 1000} s; their connections are closed`,
    );
    server.closeAllConnections();
  }
  // Keep-alive connections that became idle since: closed now, not at their timeout.
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 1000);
  await closed;
  clearTimeout(timer);
}
