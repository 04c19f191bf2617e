import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { trainerRegistryProjection } from '../../libs/read-models/src/trainer-registry/trainer-registry.projection.js';
import { TrainerRegistryReadQuery, parsePointInTime } from '@cadre/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { project, recorded, schemaText } from './read-side-events.js';

describe('trainer registry on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let registry: TrainerRegistryReadQuery;
  const unseal = async (_id: string, _field: string, sealed: unknown) => (sealed as { clear: string }).clear;
  const session = (sessionId: string, at: string, recordedAt = at) =>
    recorded(
      'SessionScheduled',
      {
        sessionId,
        programmeId: 'cascade-1',
        competencies: [],
        startsAt: at,
        endsAt: at,
        location: 'Tirana',
        jurisdictions: ['AL'],
        agencies: ['prison'],
        trainers: ['t1'],
        capacity: 20,
      },
      at,
      recordedAt,
    );

  beforeAll(async () => {
    database = await createTestDatabase('trainers');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await project(pool, trainerRegistryProjection({ unseal }), [
      [
        recorded(
          'StaffMemberRegistered',
          {
            staffId: 't1',
            agency: 'prison',
            jurisdiction: 'AL',
            institution: 'Academy',
            role: 'trainer',
            personalData: {
              clear: JSON.stringify({ name: 'Teuta Trainer', email: 't@x', employeeRef: 'AL-T1' }),
            },
          },
          '2023-01-01',
        ),
        recorded(
          'CertificationAwarded',
          {
            staffId: 't1',
            certificationId: 'acc-1',
            competency: 'dynamic-security',
            level: 'trainer',
            validFrom: '2023-02-01T00:00:00Z',
            validUntil: '2025-02-01T00:00:00Z',
            windowOpensAt: '2024-12-01T00:00:00Z',
            evidence: { kind: 'external', issuer: 'CoE', reference: 'x' },
            frameworkVersion: 'v1',
          },
          '2023-02-01',
        ),
        session('ses-1', '2023-03-01'),
        recorded('SessionClosed', { sessionId: 'ses-1' }, '2023-03-02'),
      ],
      // A session delivered in April 2023, recorded only in 2024.
      [
        session('ses-2', '2023-04-01', '2024-01-10'),
        recorded('SessionClosed', { sessionId: 'ses-2' }, '2023-04-02', '2024-01-10'),
      ],
    ]);
    registry = new TrainerRegistryReadQuery({
      query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows),
    } as never);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const at = async (asOf: string, knownAt?: string) =>
    registry.page({ ...parsePointInTime({ asOf, knownAt }, new Date()), scope: null }, undefined, 10);

  it('gives accreditation validity by the clock and the sessions delivered, as known at the time', async () => {
    const mid2023 = await at('2023-06-01', '2023-12-31');
    expect(mid2023[0]).toMatchObject({ staff_id: 't1', name: 'Teuta Trainer', jurisdiction: 'AL' });
    expect(mid2023[0]!.accreditations.map((a) => a.status)).toEqual(['valid']);
    expect(mid2023[0]!.sessions.map((s) => `${s.session_id}:${s.status}`)).toEqual(['ses-1:closed']);
    const later = await at('2023-06-01', '2024-02-01');
    expect(later[0]!.sessions.map((s) => `${s.session_id}:${s.status}`)).toEqual([
      'ses-1:closed',
      'ses-2:closed',
    ]);
    expect((await at('2025-03-01'))[0]!.accreditations.map((a) => a.status)).toEqual(['expired']);
    expect(await at('2023-01-15')).toEqual([]);
  });

  it('forgets the name on erasure, in every table', async () => {
    await project(pool, trainerRegistryProjection({ unseal }), [
      [recorded('StaffPersonalDataErased', { staffId: 't1' }, '2024-06-01')],
    ]);
    expect(await schemaText(pool, 'rm_trainer_registry')).not.toMatch(/Teuta|AL-T1/);
    expect((await at('2023-06-01'))[0]!.name).toBe('erased');
  });
});
