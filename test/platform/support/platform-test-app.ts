import { Writable } from 'node:stream';
import { expect } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ModuleMetadata } from '@nestjs/common';
import { createLogger, loadConfig, signToken, type AppConfig, type TokenClaims } from '@cadre/platform';
import type { Clock } from '@cadre/kernel';
import { createServerApp } from '../../../server/create-server-app.js';
import { apiDocument } from '../../../apps/api/src/api-document.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { recordDocument, recordObservations } from '../../support/contract/observations.js';

export const TEST_JWT_SECRET = 'e2e-test-secret-0123456789-abcdefghijklmnop';

export interface PlatformTestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  token(claims?: Partial<TokenClaims>): Promise<string>;
  close(): Promise<void>;
}

export interface PlatformTestAppOptions {
  /** Environment variables on top of the test defaults; DATABASE_URL defaults to a fresh database. */
  readonly env?: Record<string, string | undefined>;
  readonly extraModules?: ModuleMetadata['imports'];
  /** The app's clock (commands, processes, record time): the system's by default. */
  readonly clock?: Clock;
}

/**
 * The api exactly as main.ts builds it, initialised but not listening (supertest drives its
 * server), on a database of its own unless `env.DATABASE_URL` says otherwise (or is `undefined`:
 * then the app starts an embedded cluster in CADRE_DATA_DIR).
 */
export async function startPlatformTestApp(options: PlatformTestAppOptions = {}): Promise<PlatformTestApp> {
  const env = options.env ?? {};
  const database: TestDatabase | null = 'DATABASE_URL' in env ? null : await createTestDatabase('platform');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    CADRE_JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: database?.url,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      callback();
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL, destination });
  const app = await createServerApp({
    config,
    logger,
    clock: options.clock,
    extraModules: options.extraModules,
  });
  const testRoutes = (options.extraModules ?? []).length > 0;
  recordObservations(app, { testRoutes, testPath: expect.getState().testPath ?? null });
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    if (!testRoutes) recordDocument(() => apiDocument(app));
  } catch (error) {
    await app.close();
    await database?.drop();
    throw error;
  }
  return {
    app,
    config,
    logs,
    token: (claims = {}) =>
      signToken({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL'], ...claims }, TEST_JWT_SECRET),
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}
