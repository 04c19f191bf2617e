import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  EmbeddedClusterInUseError,
  startEmbeddedPostgres,
  type EmbeddedCluster,
} from '../../libs/event-store/src/postgres/embedded-postgres.js';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

/**
 * Readiness follows PostgreSQL: the app runs on a cluster of the test's own, which the test stops
 * and starts again on the same port.
 */
describe('readiness when PostgreSQL goes away and comes back', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cadre-readiness-'));
  let cluster: EmbeddedCluster;
  let subject: PlatformTestApp;

  beforeAll(async () => {
    cluster = await startEmbeddedPostgres({ dataDir: join(folder, 'pg') });
    subject = await startPlatformTestApp({ env: { DATABASE_URL: cluster.url } });
  }, 60_000);

  afterAll(async () => {
    await subject?.close();
    await cluster?.stop();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('is ready while PostgreSQL answers', async () => {
    await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('refuses a second start on the folder of the running cluster, saying what to do (it is left running)', async () => {
    await expect(startEmbeddedPostgres({ dataDir: join(folder, 'pg') })).rejects.toThrow(
      EmbeddedClusterInUseError,
    );
    await expect(startEmbeddedPostgres({ dataDir: join(folder, 'pg') })).rejects.toThrow(
      `is already running (port ${cluster.port})`,
    );
    await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('answers 503 with a problem naming each dependency while PostgreSQL is down, and stays alive', async () => {
    await cluster.stop();
    const res = await request(subject.app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({
      status: 503,
      code: 'HEALTH.NOT_READY',
      checks: { eventStore: { status: 'down' }, readModelDatabase: { status: 'down' } },
    });
    await request(subject.app.getHttpServer()).get('/health/live').expect(200);
  }, 20_000);

  it('is ready again once PostgreSQL is back', async () => {
    cluster = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), port: cluster.port });
    await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
  }, 30_000);
});
