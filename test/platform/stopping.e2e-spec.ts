import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { signToken } from '@cadre/platform';

const MAIN = resolve('dist/server/main.js');
const SECRET = 'e2e-stopping-secret-0123456789-abcdefghijklmnop';
/** Start-up on a loaded machine: generous. The bounds the issue states are strict. */
const START_MS = 90_000;

interface Line {
  readonly level: string;
  readonly msg: string;
  readonly time: string;
  readonly [field: string]: unknown;
}

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  /** The embedded PostgreSQL's process id (from its postmaster.pid). */
  readonly postgresPid: number;
  readonly output: () => string;
  readonly lines: () => Line[];
  /** Resolves with the exit code (or the signal) and when, in ms since the epoch. */
  readonly exited: Promise<{ code: string; at: number }>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The process group of `pid` (Linux: the fifth field of /proc/<pid>/stat). */
const processGroup = (pid: number): number =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[2],
  );

/**
 * `npm start` (the built server) stopped by a signal (issue 12, item 9), as a terminal does it
 * (Ctrl-C: SIGINT to the whole foreground process group) and as a service manager does (SIGTERM
 * to the process): it stops taking requests, lets those in flight finish (long-polls answer their
 * page, event streams close), stops its runners and then its embedded PostgreSQL, last, each step
 * logged. The server is spawned in a process group of its own (`detached`), as a terminal runs it.
 */
describe('npm start, stopped by a signal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-stopping-'));
  const started: Running[] = [];

  afterEach(async () => {
    for (const running of started.splice(0)) {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        process.kill(-running.child.pid!, 'SIGKILL');
      }
      if (alive(running.postgresPid)) process.kill(running.postgresPid, 'SIGKILL');
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start(env: NodeJS.ProcessEnv = {}): Promise<Running> {
    if (!existsSync(MAIN))
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      CADRE_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      CADRE_JWT_SECRET: SECRET,
      ...env,
    };
    delete childEnv.DATABASE_URL;
    const child = spawn(process.execPath, [MAIN], { env: childEnv, detached: true, stdio: 'pipe' });
    let output = '';
    const collect = (chunk: Buffer): void => void (output += chunk.toString('utf8'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<{ code: string; at: number }>((done) =>
      child.once('exit', (code, signal) => done({ code: signal ?? String(code), at: Date.now() })),
    );
    const lines = (): Line[] =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line);
    const deadline = Date.now() + START_MS;
    let url: string | undefined;
    while (!(url = /Cadre listening on (http:\/\/\S+)/.exec(output)?.[1])) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not start (exit ${child.exitCode}):\n${output.slice(-3000)}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    const postgresPid = Number(
      readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const running: Running = { child, url, postgresPid, output: () => output, lines, exited };
    started.push(running);
    return running;
  }

  /** The time of the first line with `msg` (it must be there). */
  const at = (running: Running, msg: string): number => {
    const line = running.lines().find((candidate) => candidate.msg === msg);
    if (!line) throw new Error(`no "${msg}" line in:\n${running.output().slice(-3000)}`);
    return Date.parse(line.time);
  };

  /** Once exited: every step logged, in order, the cluster last and gone, and no error. */
  const expectStoppedInOrder = (running: Running): void => {
    const steps = [
      'stopping: no new requests',
      'long-polls answered',
      'stopping: requests finished',
      'projections stopped',
      'embedded PostgreSQL stopped',
      'stopped',
    ].map((msg) => at(running, msg));
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // Written in that order too, the last included (the logger writes asynchronously).
    const written = running.lines().map((line) => line.msg);
    expect(written.indexOf('embedded PostgreSQL stopped')).toBeLessThan(written.indexOf('stopped'));
    expect(written[written.length - 1]).toBe('stopped');
    expect(running.lines().some((line) => /^stopping: \d+ requests in flight$/.test(line.msg))).toBe(true);
    expect(running.lines().filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    expect(alive(running.postgresPid)).toBe(false);
  };

  const token = (role: 'hr-system' | 'training-coordinator'): Promise<string> =>
    signToken({ sub: `stopping-${role}`, roles: [role], jurisdictions: ['*'] }, SECRET);

  it('on Ctrl-C (SIGINT to its process group) while idle: exits within 5 s, its PostgreSQL stopped last', async () => {
    const running = await start();
    // The cluster is not in the group the terminal signals: only the application stops it.
    expect(processGroup(running.postgresPid)).not.toBe(processGroup(running.child.pid!));
    // Let the runners take their leases and catch up (idle, then).
    await new Promise((done) => setTimeout(done, 3000));
    const signalled = Date.now();
    process.kill(-running.child.pid!, 'SIGINT');
    const { code, at: exitedAt } = await running.exited;
    expect(code).toBe('0');
    expect(exitedAt - signalled).toBeLessThanOrEqual(5000);
    expectStoppedInOrder(running);
    expect(running.lines().find((line) => line.msg === 'stopping: no new requests')).toMatchObject({
      signal: 'SIGINT',
    });
  }, 150_000);

  it('on SIGTERM with a slow request in flight: the request completes within 10 s, then the process exits', async () => {
    const running = await start();
    const coordinator = await token('training-coordinator');
    const body = JSON.stringify({ version: 'v1', title: 'Framework sent slowly while Cadre stops' });
    // The request's headers and the start of its body now (2 s to reach the handler's hooks on a
    // loaded machine), the rest 2 s after the signal.
    const answer = new Promise<{ status: number; text: string; at: number }>((done, fail) => {
      const req = httpRequest(`${running.url}/v1/frameworks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${coordinator}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('response', (response: IncomingMessage) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done({ status: response.statusCode ?? 0, text, at: Date.now() }));
      });
      req.on('error', fail);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        process.kill(running.child.pid!, 'SIGTERM');
        signalled = Date.now();
        setTimeout(() => req.end(body.slice(10)), 2000);
      }, 2000);
    });
    let signalled = 0;
    const { status, text, at: answeredAt } = await answer;
    expect({ status, text }).toMatchObject({ status: 201 });
    expect(answeredAt - signalled).toBeLessThanOrEqual(10_000);
    const { code, at: exitedAt } = await running.exited;
    expect(code).toBe('0');
    expect(exitedAt - signalled).toBeLessThanOrEqual(15_000);
    expect(running.lines().find((line) => line.msg === 'stopping: 1 requests in flight')).toBeDefined();
    expectStoppedInOrder(running);
  }, 150_000);

  it('on SIGTERM: a feed long-poll answers its page at once, an event stream closes', async () => {
    const running = await start();
    const hr = await token('hr-system');
    const longPoll = fetch(`${running.url}/v1/feeds/certifications?wait=30`, {
      headers: { authorization: `Bearer ${hr}` },
    });
    const stream = await fetch(`${running.url}/v1/feeds/certifications/stream`, {
      headers: { authorization: `Bearer ${hr}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let streamed = '';
    const read = async (): Promise<void> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        streamed += Buffer.from(value).toString('utf8');
      }
    };
    const streamEnded = read().then(() => Date.now());
    // Both are waiting (the long-poll holds for up to 30 s).
    const waitingSince = Date.now();
    while (!streamed.includes('cadre certification feed') && Date.now() - waitingSince < 10_000) {
      await new Promise((done) => setTimeout(done, 50));
    }
    await new Promise((done) => setTimeout(done, 1000));
    const signalled = Date.now();
    process.kill(running.child.pid!, 'SIGTERM');
    const page = await longPoll;
    const answeredAt = Date.now();
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual([]);
    expect(page.headers.has('cadre-next-cursor')).toBe(true);
    expect(answeredAt - signalled).toBeLessThanOrEqual(5000);
    expect((await streamEnded) - signalled).toBeLessThanOrEqual(5000);
    expect(streamed).toContain(': cadre is stopping');
    const { code } = await running.exited;
    expect(code).toBe('0');
    expect(running.lines().find((line) => line.msg === 'long-polls answered')).toMatchObject({
      longPolls: 1,
      streams: 1,
    });
    expectStoppedInOrder(running);
  }, 150_000);

  it('after a SIGKILL (its PostgreSQL, in a group of its own, survives it): the next start stops that orphan and starts', async () => {
    const killed = await start();
    process.kill(killed.child.pid!, 'SIGKILL');
    await killed.exited;
    expect(alive(killed.postgresPid)).toBe(true);
    const next = await start({ LOG_LEVEL: 'debug' });
    expect(alive(killed.postgresPid)).toBe(false);
    expect(next.postgresPid).not.toBe(killed.postgresPid);
    expect(next.output()).toContain(`stopped the embedded PostgreSQL (pid ${killed.postgresPid})`);
    process.kill(-next.child.pid!, 'SIGINT');
    expect((await next.exited).code).toBe('0');
    expectStoppedInOrder(next);
  }, 150_000);

  it('on a busy port: says so in one sentence, exits non-zero with no stack trace, and leaves no PostgreSQL running', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as AddressInfo).port;
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CADRE_DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'info',
        CADRE_JWT_SECRET: SECRET,
      };
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, [MAIN], { env, detached: true, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((done) => child.once('exit', (exit) => done(exit)));
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use: another program (another Cadre?) listens there. ` +
          'Stop it, or give this one another port (PORT, or 0 for any free one).',
      );
      // (Nest's own log line says `listen EADDRINUSE` as JSON, with no stack either.)
      expect(`${stdout}\n${stderr}`).not.toMatch(/\n\s+at /);
      // The cluster had started: it is stopped (its pid file gone, its process too).
      const stopped = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line)
        .find((line) => line.msg === 'embedded PostgreSQL stopped');
      expect(stopped).toBeDefined();
      expect(alive(Number(stopped!.pid))).toBe(false);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      busy.close();
    }
  }, 150_000);
  it('on a busy data folder: says so in one sentence and logs it with no stack, leaving the running one alone', async () => {
    const first = await start();
    const env: NodeJS.ProcessEnv = { ...process.env, CADRE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [MAIN], { env, detached: true, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((done) => child.once('exit', (exit) => done(exit)));

    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^The embedded PostgreSQL in .* is already running \(port \d+\)/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    // Its log line says the same sentence, with no stack (a JSON string would hold it as "\n    at").
    const said = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.level === 'error');
    expect(said.map((line) => line.msg)).toEqual([stderr.trim()]);
    expect(stdout).not.toMatch(/\\n\s+at /);
    expect(alive(first.postgresPid)).toBe(true);

    process.kill(-first.child.pid!, 'SIGINT');
    expect((await first.exited).code).toBe('0');
  }, 150_000);
});
