import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DATABASE, type Database } from '@cadre/platform';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

/** `npm start` with no DATABASE_URL: the app starts its own PostgreSQL and stops it on close. */
describe('the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-embedded-start-'));
  let subject: PlatformTestApp;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { DATABASE_URL: undefined, CADRE_DATA_DIR: dataDir } });
  }, 60_000);

  afterAll(async () => {
    await subject?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('is ready on a cluster in CADRE_DATA_DIR/postgres', async () => {
    const database = subject.app.get<Database>(DATABASE);
    expect(database.embedded).toBe(true);
    expect(database.dataDir).toBe(join(dataDir, 'postgres'));
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const res = await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.details).toMatchObject({
      eventStore: { status: 'up' },
      readModelDatabase: { status: 'up' },
    });
  });

  it('stops the cluster when the app closes', async () => {
    const { url } = subject.app.get<Database>(DATABASE);
    await subject.app.close();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  }, 30_000);
});
