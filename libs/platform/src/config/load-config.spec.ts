import { describe, expect, it } from '@jest/globals';
import { DEVELOPMENT_BLIND_INDEX_KEY, DEVELOPMENT_JWT_SECRET } from './app-config.js';
import { ConfigurationError, loadConfig } from './load-config.js';

const productionSecret = 'p'.repeat(48);
const kek = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const blindIndexKey = 'b'.repeat(48);
const production = {
  NODE_ENV: 'production',
  CADRE_JWT_SECRET: productionSecret,
  CADRE_KEK: kek,
  CADRE_BLIND_INDEX_KEY: blindIndexKey,
  CADRE_CHECKPOINT_KEY: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
  DATABASE_URL: 'postgres://cadre@db.example.org:5432/cadre',
};

describe('loadConfig', () => {
  it('gives the development defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      CADRE_DATA_DIR: './data',
      EVENT_STORE: 'postgres',
      LOG_LEVEL: 'info',
      CADRE_IN_PROCESS_WORKER: true,
      CADRE_WORKER_ROLES: ['projections', 'processes', 'webhooks'],
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.host).toBe('127.0.0.1');
    expect(config.jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(config.usesDevelopmentJwtSecret).toBe(true);
  });

  it('converts numbers and booleans, and treats blank variables as absent', () => {
    const config = loadConfig({
      PORT: '8080',
      CADRE_IN_PROCESS_WORKER: 'false',
      DATABASE_URL: ' ',
      CADRE_KEK: kek,
    });
    expect(config.CADRE_KEK).toBe(kek);
    expect(config.PORT).toBe(8080);
    expect(config.CADRE_IN_PROCESS_WORKER).toBe(false);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(loadConfig({ CADRE_WORKER_ROLES: ' webhooks ' }).CADRE_WORKER_ROLES).toEqual(['webhooks']);
    expect(loadConfig({ CADRE_WORKER_ROLES: 'projections,processes' }).CADRE_WORKER_ROLES).toEqual([
      'projections',
      'processes',
    ]);
  });

  it('bounds tokens: 12 hours and the six jurisdictions by default, or as configured', () => {
    expect(loadConfig({})).toMatchObject({
      CADRE_TOKEN_MAX_HOURS: 12,
      CADRE_JURISDICTIONS: ['AL', 'BA', 'XK', 'ME', 'MK', 'RS'],
    });
    expect(loadConfig({ CADRE_TOKEN_MAX_HOURS: '2', CADRE_JURISDICTIONS: ' AL, XX ' })).toMatchObject({
      CADRE_TOKEN_MAX_HOURS: 2,
      CADRE_JURISDICTIONS: ['AL', 'XX'],
    });
  });

  it('listens on every interface in production unless HOST says otherwise', () => {
    expect(loadConfig(production).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ EVENT_STORE: 'mongo' }, 'EVENT_STORE'],
    [{ EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CADRE_JWT_SECRET: 'short' }, 'CADRE_JWT_SECRET'],
    [{ CADRE_IN_PROCESS_WORKER: 'maybe' }, 'CADRE_IN_PROCESS_WORKER'],
    [{ CADRE_WORKER_ROLES: 'projections,mail' }, 'CADRE_WORKER_ROLES'],
    [{ CADRE_WORKER_ROLES: ',' }, 'CADRE_WORKER_ROLES'],
    [{ CADRE_KEK: 'not-a-key' }, 'CADRE_KEK'],
    [{ CADRE_KEK: kek, CADRE_KEK_PREVIOUS: `${kek},oops` }, 'CADRE_KEK_PREVIOUS'],
    [{ CADRE_BLIND_INDEX_KEY: 'short' }, 'CADRE_BLIND_INDEX_KEY'],
    [{ CADRE_TOKEN_MAX_HOURS: '0' }, 'CADRE_TOKEN_MAX_HOURS'],
    [{ CADRE_TOKEN_MAX_HOURS: '1.5' }, 'CADRE_TOKEN_MAX_HOURS'],
    [{ CADRE_TOKEN_MAX_HOURS: '1000' }, 'CADRE_TOKEN_MAX_HOURS'],
    [{ CADRE_JURISDICTIONS: 'AL,albania' }, 'CADRE_JURISDICTIONS'],
    [{ CADRE_JURISDICTIONS: 'AL,*' }, 'CADRE_JURISDICTIONS'],
    [{ CADRE_JURISDICTIONS: ',' }, 'CADRE_JURISDICTIONS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigurationError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('bounds every statement: 30 s by default, as configured, 0 for none', () => {
    expect(loadConfig({}).CADRE_STATEMENT_TIMEOUT_MS).toBe(30_000);
    expect(loadConfig({ CADRE_STATEMENT_TIMEOUT_MS: '700' }).CADRE_STATEMENT_TIMEOUT_MS).toBe(700);
    expect(loadConfig({ CADRE_STATEMENT_TIMEOUT_MS: '0' }).CADRE_STATEMENT_TIMEOUT_MS).toBe(0);
    for (const bad of ['-1', '1.5', '30s']) {
      const error = catchError(() => loadConfig({ CADRE_STATEMENT_TIMEOUT_MS: bad }));
      expect(error.problems.length).toBeGreaterThan(0);
      for (const problem of error.problems) expect(problem).toMatch(/^CADRE_STATEMENT_TIMEOUT_MS must be/);
    }
  });

  it('leaves webhook delivery to its defaults, or takes its schedule and thresholds as durations', () => {
    expect(loadConfig({}).webhookDelivery).toEqual({ health: {} });
    const config = loadConfig({
      CADRE_WEBHOOK_RETRY_SCHEDULE: '0s, 5s,5m,30m,2h,5h,10h,10h',
      CADRE_WEBHOOK_RETRY_JITTER_PERCENT: '10',
      CADRE_WEBHOOK_FAILING_AFTER: '5',
      CADRE_WEBHOOK_PROBE_SCHEDULE: '250ms,1s',
      CADRE_WEBHOOK_DISABLE_AFTER: '5d',
    });
    expect(config.webhookDelivery).toEqual({
      retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      retryJitter: 0.1,
      health: { failingAfter: 5, probeDelaysMs: [250, 1000], disableAfterMs: 432_000_000 },
    });
    // One attempt only: no retry.
    expect(loadConfig({ CADRE_WEBHOOK_RETRY_SCHEDULE: '0s' }).webhookDelivery.retryDelaysMs).toEqual([]);
  });

  it.each([
    ['CADRE_WEBHOOK_RETRY_SCHEDULE', '5s,5m', /must be a comma-separated list of durations .* the first 0s/],
    ['CADRE_WEBHOOK_RETRY_SCHEDULE', '0s,5 minutes', /must be a comma-separated list of durations/],
    ['CADRE_WEBHOOK_RETRY_SCHEDULE', ',', /must be a comma-separated list of durations/],
    ['CADRE_WEBHOOK_RETRY_SCHEDULE', ['0s', ...Array<string>(20).fill('1s')].join(','), /at most 20/],
    ['CADRE_WEBHOOK_RETRY_JITTER_PERCENT', '150', /between 0 and 100/],
    ['CADRE_WEBHOOK_FAILING_AFTER', '0', /whole number of attempts between 1 and 1000/],
    ['CADRE_WEBHOOK_FAILING_AFTER', 'twenty', /whole number of attempts/],
    ['CADRE_WEBHOOK_PROBE_SCHEDULE', '5s,0s', /each above 0/],
    ['CADRE_WEBHOOK_DISABLE_AFTER', '5 days', /must be a duration such as 30s, 5m, 2h or 5d/],
    ['CADRE_WEBHOOK_DISABLE_AFTER', '500ms', /of 1s or more/],
  ])('refuses %s=%j with a sentence naming it', (variable, value, message) => {
    const error = catchError(() => loadConfig({ [variable]: value }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${variable} `));
    expect(error.problems[0]).toMatch(message);
  });

  it('names every bad variable at once', () => {
    const error = catchError(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }));
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/PORT[\s\S]*LOG_LEVEL/);
  });

  it('does not echo the value of a refused secret', () => {
    expect(catchError(() => loadConfig({ CADRE_JWT_SECRET: 'tiny-secret' })).message).not.toContain(
      'tiny-secret',
    );
  });

  describe('in production', () => {
    it('refuses to start without DATABASE_URL (never on the embedded cluster), with a sentence', () => {
      const error = catchError(() => loadConfig({ ...production, DATABASE_URL: undefined }));
      expect(error.problems).toEqual([
        expect.stringMatching(
          /^DATABASE_URL is required when NODE_ENV=production: .*never on the embedded cluster/,
        ),
      ]);
      expect(() => loadConfig({ ...production, DATABASE_URL: ' ' })).toThrow(/DATABASE_URL is required/);
    });

    it('names every variable it requires at once', () => {
      const error = catchError(() => loadConfig({ NODE_ENV: 'production' }));
      expect(error.problems.map((problem) => problem.split(' ')[0])).toEqual([
        'DATABASE_URL',
        'CADRE_JWT_SECRET',
        'CADRE_KEK',
        'CADRE_CHECKPOINT_KEY',
        'CADRE_BLIND_INDEX_KEY',
      ]);
    });

    it('refuses a missing JWT secret', () => {
      expect(() => loadConfig({ ...production, CADRE_JWT_SECRET: undefined })).toThrow(
        /CADRE_JWT_SECRET is required/,
      );
    });

    it('refuses a missing KEK', () => {
      expect(() => loadConfig({ ...production, CADRE_KEK: undefined })).toThrow(/CADRE_KEK is required/);
    });

    it('refuses a missing or development blind-index key', () => {
      expect(() => loadConfig({ ...production, CADRE_CHECKPOINT_KEY: undefined })).toThrow(
        /CADRE_CHECKPOINT_KEY is required/,
      );
      expect(() => loadConfig({ ...production, CADRE_BLIND_INDEX_KEY: undefined })).toThrow(
        /CADRE_BLIND_INDEX_KEY is required/,
      );
      expect(() => loadConfig({ ...production, CADRE_BLIND_INDEX_KEY: DEVELOPMENT_BLIND_INDEX_KEY })).toThrow(
        /CADRE_BLIND_INDEX_KEY is the public development key/,
      );
    });

    it('refuses the development JWT secret', () => {
      expect(() => loadConfig({ ...production, CADRE_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(
        /CADRE_JWT_SECRET is the public development secret/,
      );
    });

    it('accepts a real secret', () => {
      const config = loadConfig(production);
      expect(config.jwtSecret).toBe(productionSecret);
      expect(config.usesDevelopmentJwtSecret).toBe(false);
      expect(config.blindIndexKey).toBe(blindIndexKey);
    });
  });
});

function catchError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
