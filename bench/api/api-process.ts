import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ApiProcess {
  readonly pid: number;
  readonly port: number;
  /** Resident set size now, in MB (VmRSS), and the peak since start (VmHWM). */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * The api exactly as `npm start` runs it (dist/server/main.js), as a child process so its
 * RSS is its own; the worker (projections, processes) is left out of it.
 */
export async function startApiProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ApiProcess> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../../server/main.js', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, ...(process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? []), main],
    {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited during start:\n${stderr}`);
    const up = await fetch(`http://127.0.0.1:${port}/health/live`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the api did not answer /health/live within 60 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const status = (field: string): number => {
    const text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
    return kb / 1024;
  };
  return {
    pid: child.pid!,
    port,
    memory: () => ({ rssMb: status('VmRSS'), peakMb: status('VmHWM') }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface WorkerProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The standalone worker (dist/apps/worker/src/main.js: projections, processes, webhook delivery),
 * as docker compose runs it beside an api started with CADRE_IN_PROCESS_WORKER=false. Ready once
 * it logged its start.
 */
export async function startWorkerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<WorkerProcess> {
  const main = fileURLToPath(new URL('../../apps/worker/src/main.js', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), main],
    { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes('Cadre worker started')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the worker exited during start (${code}):\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      started,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the worker did not start within 60 s:\n${output}`)),
          60_000,
        );
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Keep draining its output so that a full pipe never blocks it.
  child.stdout?.resume();
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
}
