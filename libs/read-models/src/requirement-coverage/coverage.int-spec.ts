import { beforeAll, describe, expect, it } from '@jest/globals';
import { INSTANTS, staffFact } from '../../../../test/read-side/staff-facts.js';
import { projectionDatabase } from '../../../../test/support/projection-database.js';
import { COVERAGE_SCHEMA, coverageProjection } from './coverage.projection.js';

const { APR, FEB, FEB_MID, JAN, MAR, R1, R2, R3 } = INSTANTS;

describe('coverage projection on PostgreSQL', () => {
  const db = projectionDatabase('coverage');
  const tx = db.tx(COVERAGE_SCHEMA);
  const projection = coverageProjection();

  beforeAll(async () => {
    await projection.createTables(tx, COVERAGE_SCHEMA);
    await projection.createTables(tx, COVERAGE_SCHEMA);
  });

  const placementsAt = async (asOf: string, knownAt: string) =>
    (
      await db.client.query(
        `SELECT entity, institution FROM ${COVERAGE_SCHEMA}.placements
         WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
           AND recorded_at <= $2 AND (superseded_at IS NULL OR superseded_at > $2)`,
        [asOf, knownAt],
      )
    ).rows;

  it('keeps what was believed: a back-dated transfer supersedes rows at its record time only', async () => {
    await projection.apply(
      [staffFact('StaffMemberRegistered', JAN, R1, { institution: 'A', role: 'officer' })],
      tx,
    );
    await projection.apply([staffFact('StaffMemberTransferred', MAR, R2, { institution: 'B' })], tx);
    // Recorded last, happened first: the institution changed in February.
    await projection.apply([staffFact('StaffMemberTransferred', FEB, R3, { institution: 'C' })], tx);

    expect(await placementsAt(FEB_MID, R2)).toEqual([{ entity: 's1', institution: 'A' }]);
    expect(await placementsAt(FEB_MID, R3)).toEqual([{ entity: 's1', institution: 'C' }]);
    expect(await placementsAt(APR, R3)).toEqual([{ entity: 's1', institution: 'B' }]);
    expect(await placementsAt(APR, R1)).toEqual([{ entity: 's1', institution: 'A' }]);
    const rows = await db.client.query(`SELECT count(*)::int AS n FROM ${COVERAGE_SCHEMA}.placements`);
    expect(rows.rows[0].n).toBe(5);
  });

  it('requirements in force follow the adopted framework version from its effectiveFrom', async () => {
    await projection.apply(
      [
        staffFact(
          'RoleRequirementDefined',
          JAN,
          R1,
          { version: 'v9', role: 'officer', competency: 'ds', minLevel: 'awareness' },
          'framework-v9',
        ),
        staffFact(
          'FrameworkAdopted',
          JAN,
          R1,
          { jurisdiction: 'AL', version: 'v9', effectiveFrom: FEB },
          'jurisdiction-AL',
        ),
      ],
      tx,
    );
    const { rows } = await db.client.query(
      `SELECT entity, role, competency, min_level, valid_from FROM ${COVERAGE_SCHEMA}.requirements`,
    );
    expect(rows).toEqual([
      { entity: 'AL', role: 'officer', competency: 'ds', min_level: 'awareness', valid_from: new Date(FEB) },
    ]);
  });
});
