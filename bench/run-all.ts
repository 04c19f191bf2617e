/**
 * `npm run bench`: runs every `bench:*` npm script of package.json, one after the other, so a new
 * benchmark only needs its own `bench:<area>` script. Exits 0 when they all ran (a missed target is
 * not a failure: the BENCH lines say it), 1 when one of them crashed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts?: Record<string, string>;
};
const names = Object.keys(pkg.scripts ?? {})
  .filter((name) => name.startsWith('bench:'))
  .sort();
const crashed: string[] = [];
for (const name of names) {
  process.stderr.write(`\n=== npm run ${name}\n`);
  const run = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (run.status !== 0) crashed.push(name);
}
if (crashed.length > 0) {
  process.stderr.write(`crashed: ${crashed.join(', ')}\n`);
  process.exit(1);
}
