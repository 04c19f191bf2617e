/**
 * Prints a development bearer token, signed with CADRE_JWT_SECRET (or the development default):
 *   npm run -s token -- --role manager --jurisdiction AL [--sub alice] [--hours 12]
 * --role and --jurisdiction repeat or take comma-separated lists; `*` is the regional jurisdiction.
 * The token is one the API accepts: jurisdictions among CADRE_JURISDICTIONS (or `*`), and a
 * lifetime of at most CADRE_TOKEN_MAX_HOURS (also the default).
 */
import { parseArgs } from 'node:util';
import {
  ConfigurationError,
  JURISDICTION_CLAIM,
  REGIONAL_JURISDICTION,
  ROLES,
  isRole,
  loadConfig,
  signToken,
} from '@cadre/platform';

const USAGE = `usage: npm run -s token -- --role <${ROLES.join('|')}> --jurisdiction <AL|BA|XK|ME|MK|RS|*> [--sub <id>] [--hours <n, at most CADRE_TOKEN_MAX_HOURS>]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, short: 'r' },
      jurisdiction: { type: 'string', multiple: true, short: 'j' },
      sub: { type: 'string', short: 's' },
      hours: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const roles = split(values.role);
  const jurisdictions = split(values.jurisdiction);
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) fail(`--role: ${unknown.join(', ') || 'missing'}`);
  const config = loadConfig(process.env);
  const admitted = [...config.CADRE_JURISDICTIONS, REGIONAL_JURISDICTION];
  if (
    jurisdictions.length === 0 ||
    !jurisdictions.every((code) => JURISDICTION_CLAIM.test(code) && admitted.includes(code))
  ) {
    fail(`--jurisdiction: give jurisdiction codes among ${admitted.join(', ')} (CADRE_JURISDICTIONS)`);
  }
  const maxHours = config.CADRE_TOKEN_MAX_HOURS;
  const hours = Number(values.hours ?? maxHours);
  if (!(hours > 0) || hours > maxHours) {
    fail(`--hours must be a positive number of at most ${maxHours} (CADRE_TOKEN_MAX_HOURS)`);
  }
  const token = await signToken(
    {
      sub: values.sub ?? `dev-${roles[0]}`,
      roles: roles.filter(isRole),
      jurisdictions,
      expiresInSeconds: Math.round(hours * 3600),
    },
    config.jwtSecret,
  );
  console.log(token);
}

const split = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
