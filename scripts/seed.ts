/**
 * `npm run seed`: fills a RUNNING Cadre (CADRE_URL, default http://127.0.0.1:3000) through its
 * command API with demo data — a SAMPLE regional framework v1 adopted by AL BA XK ME MK RS,
 * synthetic staff of both agencies, trainers, programmes, closed (joint) sessions, external
 * certifications and a few multi-disciplinary teams. Tokens are signed with CADRE_JWT_SECRET
 * (or the development default). Every command carries an Idempotency-Key derived from the run id:
 * re-running with the same --run-id (the default is the day's) replays instead of duplicating.
 *
 *   npm run seed -- [--staff-per-jurisdiction 100] [--jurisdictions AL,RS] [--run-id demo-…] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, loadConfig, signToken, isRole } from '@cadre/platform';
import { runSeed } from './seed/run-seed.js';

const USAGE =
  'usage: npm run seed -- [--staff-per-jurisdiction <n>] [--jurisdictions AL,BA,…] [--run-id <id>] [--concurrency <n>] [--url <base>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'staff-per-jurisdiction': { type: 'string' },
      jurisdictions: { type: 'string' },
      'run-id': { type: 'string' },
      concurrency: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const staffPerJurisdiction = Number(values['staff-per-jurisdiction'] ?? 100);
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(staffPerJurisdiction) || staffPerJurisdiction < 1)
    fail('--staff-per-jurisdiction: a positive integer');
  if (!Number.isInteger(concurrency) || concurrency < 1) fail('--concurrency: a positive integer');
  const today = new Date();
  const runId = values['run-id'] ?? `demo-${today.toISOString().slice(0, 10)}`;
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(runId))
    fail('--run-id: 1 to 40 letters, digits, dots, hyphens or underscores');
  const secret = loadConfig(process.env).jwtSecret;
  await runSeed({
    baseUrl: values.url ?? process.env.CADRE_URL ?? 'http://127.0.0.1:3000',
    sign: (sub, role, jurisdiction) =>
      signToken(
        { sub, roles: [role].filter(isRole), jurisdictions: [jurisdiction], expiresInSeconds: 3600 },
        secret,
      ),
    runId,
    anchor: today,
    staffPerJurisdiction,
    jurisdictions: values.jurisdictions
      ?.split(',')
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean),
    concurrency,
  });
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigurationError ? error.message : error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
