import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

/**
 * Issue 12, item 7: a lock held on one read-model table stalled every read, other tables included,
 * for as long as the lock was held. Reads now have a time limit (CADRE_READ_TIMEOUT_MS): past it,
 * 503 DATABASE.TIMEOUT with Retry-After, and the other read models keep answering.
 */
describe('reads wait a bounded time', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let manager: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { CADRE_READ_TIMEOUT_MS: '700' } });
    server = subject.app.getHttpServer();
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL']);
    await fixtures.staff();
    manager = `Bearer ${await subject.token({ sub: 'mgr', roles: ['manager'], jurisdictions: ['AL'] })}`;
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('answers 503 with Retry-After past the limit while a table is locked, and reads of other tables meanwhile', async () => {
    await request(server).get('/v1/staff').set('Authorization', manager).expect(200);
    const locker = new pg.Client({ connectionString: subject.config.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rm_staff_directory.staff IN ACCESS EXCLUSIVE MODE');
      // More locked reads than the query pool has connections: none may hold one for the lock's time.
      const started = Date.now();
      const locked = await Promise.all(
        Array.from({ length: 12 }, () => request(server).get('/v1/staff').set('Authorization', manager)),
      );
      for (const response of locked) {
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toBe('DATABASE.TIMEOUT');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(Date.now() - started).toBeLessThan(5_000);
      await request(server).get('/v1/teams').set('Authorization', manager).expect(200);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await request(server).get('/v1/staff').set('Authorization', manager).expect(200);
  });

  it('is not ready while the reads cannot get a connection, and ready again once they can', async () => {
    await request(server).get('/health/ready').expect(200);
    const readModels = subject.app.get<DataSource>(READ_MODELS);
    // Every connection of the reads' pool held (as by reads stuck behind a lock).
    const held = Array.from({ length: 10 }, () => readModels.createQueryRunner());
    await Promise.all(held.map((runner) => runner.connect()));
    try {
      const ready = await request(server).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('HEALTH.NOT_READY');
    } finally {
      await Promise.all(held.map((runner) => runner.release()));
    }
    await request(server).get('/health/ready').expect(200);
  });
});
