import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { DATABASE, type Database } from '@cadre/platform';
import { ProjectionWorker } from '@cadre/subscriptions/nest';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld, type StaffWorld } from './support/staff-world.js';

/**
 * The right to be forgotten, end to end: a person's personal data is used everywhere it can go
 * (searches, CSV exports, the feed, refused and failed requests), the person is erased, and then
 * nothing Cadre wrote — no column of any table, no log line — holds any of it in clear. Sealed
 * values in the log's events are allowed: their key is destroyed.
 */
describe('forgetting a person leaves nothing behind', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let sql: pg.Pool;
  let admin: string;
  let manager: string;
  let hr: string;
  let staffId: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL']);
    sql = new pg.Pool({ connectionString: subject.app.get<Database>(DATABASE).url, max: 2 });
    admin = await world.bearer(['admin'], ['*'], 'admin');
    manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
    hr = await world.bearer(['hr-system'], ['AL'], 'hr-al');
  });
  afterAll(async () => {
    await sql?.end();
    await subject?.close();
  });

  const get = (path: string, authorization = manager) =>
    request(world.server).get(path).set('Authorization', authorization);
  const post = (path: string, body: object, authorization = admin) =>
    request(world.server).post(path).set('Authorization', authorization).send(body);

  it('finds none of their values in any table or log line once they are erased', async () => {
    const person = registration({ name: PERSON.name, email: PERSON.email, employeeRef: PERSON.employeeRef });
    staffId = (await post('/v1/staff', person).set('Idempotency-Key', 'forget-1').expect(201)).body.id;
    await post(`/v1/staff/${staffId}/certifications`, {
      competency: 'dynamic-security',
      level: 'awareness',
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      evidence: { issuer: 'Academy', reference: 'REF-FORGET-1' },
    }).expect(200);
    await eventually(async () => (await get(`/v1/staff?q=${SURNAME}`)).body.items?.length === 1);

    // Reads: searches by name and by reference, CSV exports, the person, the transcript, the feed.
    for (const q of [SURNAME, PERSON.name, PERSON.employeeRef, PERSON.email]) {
      await get(`/v1/staff?q=${encodeURIComponent(q)}`).expect(200);
      const csv = await get(`/v1/staff?q=${encodeURIComponent(q)}`)
        .set('Accept', 'text/csv')
        .expect(200);
      expect(q === PERSON.email || csv.text.includes(PERSON.name)).toBe(true);
    }
    await get(`/v1/staff/${staffId}`).expect(200);
    await get(`/v1/audit/staff/${staffId}/transcript`, admin).expect(200);
    await get(`/v1/audit/staff/${staffId}/transcript`, admin).set('Accept', 'text/csv').expect(200);
    await get(`/v1/audit/expiry-gaps?within=90&institution=${encodeURIComponent(SURNAME)}`, admin).expect(
      200,
    );
    const feed = await eventually(async () => {
      const res = await get('/v1/feeds/certifications?limit=100', hr).expect(200);
      return res.text.includes(PERSON.employeeRef) ? res : null;
    });
    expect(feed.text).toContain(staffId);

    // Refusals that may echo what was sent, and a failure inside the database.
    await post('/v1/staff', { ...person, email: `${SURNAME}@` }).expect(400);
    await post('/v1/staff', { ...person, name: `${PERSON.name}\u0007` }).expect(400);
    await post('/v1/staff', person).expect(409);
    await post('/v1/staff', { ...person, institution: 'Elsewhere' })
      .set('Idempotency-Key', 'forget-1')
      .expect(422);
    await get(`/v1/staff?status=${SURNAME}`).expect(400);
    await get(`/v1/staff?q=${SURNAME}&limit=${SURNAME}`).expect(400);
    await get(`/v1/staff?q=${SURNAME}&cursor=${SURNAME}`).expect(400);
    await get(`/v1/no-such-route?q=${SURNAME}`).expect(404);
    // A 500 with the search in the statement's parameters: the directory's table is briefly broken.
    await sql.query('ALTER TABLE rm_staff_directory.staff RENAME COLUMN employee_ref TO employee_ref_gone');
    try {
      await get(`/v1/staff?q=${SURNAME}`).expect(500);
    } finally {
      await sql.query('ALTER TABLE rm_staff_directory.staff RENAME COLUMN employee_ref_gone TO employee_ref');
    }
    expect(subject.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'error',
          msg: 'request failed',
          err: expect.objectContaining({ type: 'QueryFailedError', code: '42703' }),
        }),
      ]),
    );

    // The scan sees what is there: the read models hold the person in clear until the erasure.
    expect(await tableColumnsHolding(VALUES)).toEqual(
      expect.arrayContaining(['rm_staff_directory.staff.name', 'rm_staff_directory.staff.employee_ref']),
    );

    // The erasure; then everything Cadre keeps has caught up with it.
    await request(world.server)
      .delete(`/v1/staff/${staffId}/personal-data`)
      .set('Authorization', admin)
      .expect(200);
    await eventually(async () => (await get(`/v1/staff/${staffId}`)).body.personalData === 'erased');
    await get(`/v1/staff?q=${SURNAME}`).expect(200);
    await caughtUp();

    expect(await tableColumnsHolding(VALUES)).toEqual([]);
    // Who read the person stays known, by id: the access log lists the ids each answer gave.
    const accessLog = await get('/v1/audit/access-log?actor=mgr-al&limit=500', admin).expect(200);
    expect(JSON.stringify(accessLog.body)).toContain(staffId);
    const logged = JSON.stringify(subject.logs).toLowerCase();
    expect(VALUES.filter((value) => logged.includes(value.toLowerCase()))).toEqual([]);
    // The sealed registration is still in the log, and its key is gone.
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM cadre_es.events WHERE stream_id = $1 AND type = 'StaffMemberRegistered'`,
      [`staff-${staffId}`],
    );
    expect(rows[0].n).toBe(1);
    const key = await sql.query('SELECT wrapped, erased_at FROM cadre_keys.data_keys WHERE subject = $1', [
      staffId,
    ]);
    expect(key.rows).toEqual([{ wrapped: null, erased_at: expect.any(Date) }]);
  }, 30_000);

  /** Every projection and process manager has applied the whole log. */
  async function caughtUp(): Promise<void> {
    const workers = [subject.app.get(ProjectionWorker), subject.app.get(ProcessManagerWorker)];
    await eventually(async () => {
      const lags = (await Promise.all(workers.map((worker) => worker.measure()))).flat();
      return lags.every((lag) => lag.lagEvents === 0);
    });
  }

  /**
   * `schema.table.column` of every text, JSON, array or binary column, in every schema of the test
   * database that is not PostgreSQL's own, holding any of `values` (case-insensitive).
   */
  async function tableColumnsHolding(values: readonly string[]): Promise<string[]> {
    const { rows: columns } = await sql.query<{
      schema: string;
      table: string;
      column: string;
      type: string;
    }>(
      `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE t.table_type = 'BASE TABLE'
          AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
        ORDER BY 1, 2, 3`,
    );
    expect(columns.map((c) => `${c.schema}.${c.table}`)).toEqual(
      expect.arrayContaining(['cadre_es.events', 'cadre_keys.data_keys', 'rm_staff_directory.staff']),
    );
    const patterns = values.map((value) => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const found: string[] = [];
    for (const { schema, table, column, type } of columns) {
      const ident = `"${schema}"."${table}"`;
      const text = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
      const { rows } = await sql.query(
        `SELECT 1 FROM ${ident} WHERE lower(${text}) LIKE ANY ($1::text[]) LIMIT 1`,
        [patterns],
      );
      if (rows.length > 0) found.push(`${schema}.${table}.${column}`);
    }
    return found;
  }
});

const SURNAME = 'Xquorrelle';
const PERSON = {
  name: `Wilhelmina ${SURNAME}`,
  email: `w.xquorrelle@forget.example`,
  employeeRef: 'XQ-FGT-7731',
};
/** What must be gone: each personal value, and the parts a search or a message may hold alone. */
const VALUES = [PERSON.name, SURNAME, 'Wilhelmina', PERSON.email, PERSON.employeeRef];

async function eventually<T>(probe: () => Promise<T | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result !== null && result !== false) return result;
    if (Date.now() > deadline) throw new Error('not within the time allowed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
