import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { staffTranscriptProjection } from '../../libs/read-models/src/staff-transcript/staff-transcript.projection.js';
import { StaffTranscriptQuery, parsePointInTime } from '@cadre/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { project, recorded, schemaText } from './read-side-events.js';

const staffId = 'staff-1';
const award = (certificationId: string, validFrom: string, recordedAt: string, level = 'awareness') =>
  recorded(
    'CertificationAwarded',
    {
      staffId,
      certificationId,
      competency: 'dynamic-security',
      level,
      validFrom,
      validUntil: '2026-01-01T00:00:00.000Z',
      windowOpensAt: '2025-11-01T00:00:00.000Z',
      evidence: { kind: 'external', issuer: 'Academy', reference: certificationId },
      frameworkVersion: 'v1',
    },
    validFrom,
    recordedAt,
  );

describe('staff transcript on PostgreSQL (as of, as known at)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let query: StaffTranscriptQuery;
  const unseal = async (_id: string, _field: string, sealed: unknown) =>
    (sealed as { clear?: string }).clear ?? null;

  const c2 = award('c2', '2024-03-01', '2024-06-01'); // back-dated: learnt in June
  const events = [
    recorded(
      'StaffMemberRegistered',
      {
        staffId,
        agency: 'probation',
        jurisdiction: 'AL',
        institution: 'Tirana',
        role: 'probation-officer',
        personalData: {
          clear: JSON.stringify({ name: 'Ana Hoxha', email: 'ana@x.org', employeeRef: 'AL-77' }),
        },
      },
      '2024-01-01',
    ),
    award('c1', '2024-02-01', '2024-02-01'),
    recorded(
      'SessionScheduled',
      {
        sessionId: 'ses-1',
        programmeId: 'p1',
        competencies: [{ competency: 'dynamic-security', level: 'awareness' }],
        startsAt: '2024-04-10T08:00:00.000Z',
        endsAt: '2024-04-11T16:00:00.000Z',
        location: 'Tirana',
        jurisdictions: ['AL'],
        agencies: ['probation'],
        trainers: ['t1'],
        capacity: 10,
      },
      '2024-03-20',
    ),
    recorded(
      'ParticipantEnrolled',
      { sessionId: 'ses-1', staffId, agency: 'probation', jurisdiction: 'AL' },
      '2024-03-21',
    ),
    recorded(
      'AttendanceRecorded',
      { sessionId: 'ses-1', staffId, attendance: 'present', hours: 14 },
      '2024-04-11',
    ),
    c2,
    // Back-dated revocation of c1: effective 15 March, learnt in August.
    recorded(
      'CertificationRevoked',
      { staffId, certificationId: 'c1', reason: 'Fraud' },
      '2024-03-15',
      '2024-08-01',
    ),
    recorded(
      'RecordVoided',
      {
        stream: 'staff-1',
        targetEventId: c2.eventId,
        targetType: 'CertificationAwarded',
        reason: 'Wrong person',
      },
      '2024-09-01',
    ),
  ];

  beforeAll(async () => {
    database = await createTestDatabase('transcript');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    // Event by event in the live schema, all at once in another: the same rows either way.
    await project(
      pool,
      staffTranscriptProjection({ unseal }),
      events.map((e) => [e]),
    );
    await project(pool, staffTranscriptProjection({ unseal }), [events], 'rm_staff_transcript_one_batch');
    query = new StaffTranscriptQuery({
      query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows),
    } as never);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const items = async (asOf: string, knownAt: string) =>
    (await query.page(staffId, parsePointInTime({ asOf, knownAt }, new Date()), undefined, 100)).map(
      (row) => `${row.kind}:${row.item_key}:${row.status}`,
    );

  it('answers what was true on a date as it was known on a date', async () => {
    expect(await items('2024-03-01', '2024-05-01')).toEqual(['certification:c1:valid']);
    expect(await items('2024-04-30', '2024-05-01')).toEqual([
      'certification:c1:valid',
      'training:ses-1:scheduled',
    ]);
  });

  const certifications = async (asOf: string, knownAt: string) =>
    (await items(asOf, knownAt)).filter((item) => item.startsWith('certification'));

  it('lets a back-dated record change the answer for its date only from its knownAt on', async () => {
    expect(await certifications('2024-04-01', '2024-05-31')).toEqual(['certification:c1:valid']);
    expect(await certifications('2024-04-01', '2024-06-01')).toEqual([
      'certification:c1:valid',
      'certification:c2:valid',
    ]);
    expect(await certifications('2024-02-15', '2024-06-01')).toEqual(['certification:c1:valid']);
    // The back-dated revocation: invisible before August, effective from 15 March after.
    expect(await certifications('2024-03-14', '2024-08-01')).toEqual([
      'certification:c1:valid',
      'certification:c2:valid',
    ]);
    expect(await certifications('2024-04-01', '2024-07-31')).toEqual([
      'certification:c1:valid',
      'certification:c2:valid',
    ]);
    expect(await certifications('2024-04-01', '2024-08-01')).toEqual([
      'certification:c1:revoked',
      'certification:c2:valid',
    ]);
  });

  it('forgets a voided record from the void on, and keeps the past answer', async () => {
    expect(await certifications('2024-04-01', '2024-09-01')).toEqual(['certification:c1:revoked']);
    expect(await certifications('2024-04-01', '2024-08-31')).toContain('certification:c2:valid');
  });

  it('answers an asOf before any data with nothing, and places the member by the point in time', async () => {
    expect(await items('2023-06-01', '2024-12-01')).toEqual([]);
    const before = await query.member(staffId, parsePointInTime({ asOf: '2023-06-01' }, new Date()));
    expect(before).toMatchObject({ jurisdiction: 'AL', at_point: false, name: 'Ana Hoxha' });
    expect(await query.member('nobody', parsePointInTime({}, new Date()))).toBeNull();
  });

  it('writes the same rows whether the events come one by one or in one batch', async () => {
    for (const table of ['members', 'certifications', 'trainings']) {
      const rows = async (schema: string) =>
        (
          await pool.query(
            `SELECT to_jsonb(t) - 'row_id' AS row FROM ${schema}.${table} t ORDER BY entity_key, recorded_at, valid_from`,
          )
        ).rows.map((r) => JSON.stringify(r.row));
      expect(await rows('rm_staff_transcript_one_batch')).toEqual(await rows('rm_staff_transcript'));
    }
  });

  it('replaces the personal data with "erased" in every table on erasure', async () => {
    expect(await schemaText(pool, 'rm_staff_transcript')).toContain('Ana Hoxha');
    await project(pool, staffTranscriptProjection({ unseal }), [
      [recorded('StaffPersonalDataErased', { staffId }, '2024-10-01')],
    ]);
    const text = await schemaText(pool, 'rm_staff_transcript');
    expect(text).not.toMatch(/Ana Hoxha|AL-77|ana@x\.org/);
    expect((await query.member(staffId, parsePointInTime({}, new Date())))?.name).toBe('erased');
  });
});
