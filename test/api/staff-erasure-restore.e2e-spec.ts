import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld } from './support/staff-world.js';

/**
 * The key table is in an ordinary database that may be restored from an old backup. The log is
 * the truth: every start destroys again the data key of every erasure it records.
 */
describe('erasures are re-applied at every start', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const apps: PlatformTestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('staff_restore');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await pool.end();
    await database.drop();
  });

  const start = async () => {
    // The api alone: what is under test is its start, not the worker's projections.
    const app = await startPlatformTestApp({
      env: { DATABASE_URL: database.url, CADRE_IN_PROCESS_WORKER: 'false' },
    });
    apps.push(app);
    return app;
  };
  const keyRow = async (subject: string) =>
    (
      await pool.query('SELECT kek_id, wrapped, erased_at FROM cadre_keys.data_keys WHERE subject = $1', [
        subject,
      ])
    ).rows[0] as { kek_id: string | null; wrapped: unknown; erased_at: Date | null };

  it('a restored backup of the key table cannot bring a forgotten person back', async () => {
    const first = await start();
    const world = await staffWorld(first, ['AL']);
    const manager = await world.bearer(['manager'], ['AL']);
    const register = (body: object) =>
      request(world.server).post('/v1/staff').set('Authorization', manager).send(body).expect(201);
    const forgotten = (await register(registration({ name: 'Arta Leka', employeeRef: 'AL-R-1' }))).body.id;
    const kept = (await register(registration({ name: 'Blerim Dema', employeeRef: 'AL-R-2' }))).body.id;

    const backup = await keyRow(forgotten);
    expect(backup.wrapped).not.toBeNull();
    await request(world.server)
      .delete(`/v1/staff/${forgotten}/personal-data`)
      .set('Authorization', manager)
      .expect(200);
    expect(await keyRow(forgotten)).toMatchObject({ wrapped: null, erased_at: expect.any(Date) });

    // The api stops; the database is restored from the backup: the old row, key and all, is back.
    await apps.pop()?.close();
    await pool.query(
      'UPDATE cadre_keys.data_keys SET kek_id = $2, wrapped = $3, erased_at = NULL WHERE subject = $1',
      [forgotten, backup.kek_id, JSON.stringify(backup.wrapped)],
    );
    expect((await keyRow(forgotten)).wrapped).not.toBeNull();

    const second = await start();
    // At start, or within moments when a transaction elsewhere held the store's horizon back.
    for (let waited = 0; (await keyRow(forgotten)).wrapped !== null && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await keyRow(forgotten)).toMatchObject({ wrapped: null, erased_at: expect.any(Date) });
    expect(second.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ reapplied: 1, level: 'warn' })]),
    );
    const server = second.app.getHttpServer();
    const read = await request(server)
      .get(`/v1/staff/${forgotten}`)
      .set('Authorization', manager)
      .expect(200);
    expect(read.body).toMatchObject({ personalData: 'erased', name: null, email: null, employeeRef: null });
    const other = await request(server).get(`/v1/staff/${kept}`).set('Authorization', manager).expect(200);
    expect(other.body).toMatchObject({ personalData: 'available', name: 'Blerim Dema' });
  });
});
