import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { expiryGapsProjection } from '../../libs/read-models/src/expiry-gaps/expiry-gaps.projection.js';
import { lapseInboxProjection } from '../../libs/read-models/src/lapse-inbox/lapse-inbox.projection.js';
import { staffDirectoryProjection } from '../../libs/read-models/src/staff-directory/staff-directory.projection.js';
import { ExpiryGapsReadQuery, parsePointInTime } from '@cadre/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { project, recorded, schemaText } from './read-side-events.js';

const unseal = async (_id: string, _field: string, sealed: unknown) => (sealed as { clear: string }).clear;
const personalData = (name: string, ref: string) => ({
  clear: JSON.stringify({ name, email: `${ref}@example.org`, employeeRef: ref }),
});
const registered = (staffId: string, name: string, ref: string) =>
  recorded(
    'StaffMemberRegistered',
    {
      staffId,
      agency: 'probation',
      jurisdiction: 'AL',
      institution: 'Tirana',
      role: 'probation-officer',
      personalData: personalData(name, ref),
    },
    '2024-01-01',
  );
const award = (staffId: string, certificationId: string, validUntil: string) =>
  recorded(
    'CertificationAwarded',
    {
      staffId,
      certificationId,
      competency: 'dynamic-security',
      level: 'awareness',
      validFrom: '2024-01-01T00:00:00Z',
      validUntil,
      windowOpensAt: '2030-01-01T00:00:00Z',
      evidence: { kind: 'external', issuer: 'Academy', reference: certificationId },
      frameworkVersion: 'v1',
    },
    '2024-01-01',
  );

describe('expiry gaps and erasure on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let gaps: ExpiryGapsReadQuery;
  const events = [
    registered('s1', 'Ana Hoxha', 'AL-1'),
    registered('s2', 'Besa Krasniqi', 'AL-2'),
    award('s1', 'c1', '2024-06-20T00:00:00Z'),
    award('s2', 'c2', '2024-06-10T00:00:00Z'),
    recorded(
      'TeamFormed',
      {
        teamId: 't1',
        name: 'MDT 1',
        jurisdiction: 'AL',
        institutions: [],
        kind: 'probation',
        caseRef: 'X',
        requiredDisciplines: [],
      },
      '2024-01-05',
    ),
    // Assigned from 1 May, but recorded only on 1 July (back-dated).
    recorded(
      'MemberAssigned',
      { teamId: 't1', staffId: 's1', teamRole: 'probation-officer' },
      '2024-05-01',
      '2024-07-01',
    ),
    recorded(
      'MemberQualificationLapsed',
      { teamId: 't1', staffId: 's1', certificationId: 'c1', cause: 'expired' },
      '2024-07-02',
    ),
  ];

  beforeAll(async () => {
    database = await createTestDatabase('gaps');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    for (const projection of [
      expiryGapsProjection({ unseal }),
      lapseInboxProjection({ unseal }),
      staffDirectoryProjection({ unseal }),
    ]) {
      await project(pool, projection, [events]);
    }
    gaps = new ExpiryGapsReadQuery({
      query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows),
    } as never);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const at = async (asOf: string, knownAt: string) =>
    (
      await gaps.page(
        { ...parsePointInTime({ asOf, knownAt }, new Date()), scope: null, within: 30 },
        undefined,
        10,
      )
    ).map((row) => `${row.staff_id}:${row.team_rank === 0 ? 'team' : '-'}`);

  it('puts team members first only from when the assignment was known', async () => {
    expect(await at('2024-06-01', '2024-06-15')).toEqual(['s2:-', 's1:-']);
    expect(await at('2024-06-01', '2024-07-01')).toEqual(['s1:team', 's2:-']);
    expect(await at('2024-04-20', '2024-07-01')).toEqual([]);
  });

  it('replaces personal data with "erased" in every table of every read model, history included', async () => {
    for (const schema of ['rm_expiry_gaps', 'rm_lapse_inbox', 'rm_staff_directory']) {
      expect(await schemaText(pool, schema)).toContain('Ana Hoxha');
    }
    const erased = recorded('StaffPersonalDataErased', { staffId: 's1' }, '2024-08-01');
    for (const projection of [
      expiryGapsProjection({ unseal }),
      lapseInboxProjection({ unseal }),
      staffDirectoryProjection({ unseal }),
    ]) {
      await project(pool, projection, [[erased]]);
      const text = await schemaText(pool, projection.schema);
      expect(text).not.toMatch(/Ana Hoxha|AL-1@example|"AL-1"|,AL-1,|,AL-1\)/);
      expect(text).toContain('Besa Krasniqi');
      expect(text).toContain('erased');
    }
  });
});
