import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import { COVERAGE_SCHEMA, coverageProjection } from './coverage.projection.js';

describe('coverage projection on PostgreSQL', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let tx: ProjectionTransaction;
  const projection = coverageProjection();

  beforeAll(async () => {
    database = await createTestDatabase('coverage');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    tx = {
      schema: COVERAGE_SCHEMA,
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
        (await client.query(sql, params as unknown[])).rows as Row[],
    };
    await projection.createTables(tx, COVERAGE_SCHEMA);
    await projection.createTables(tx, COVERAGE_SCHEMA);
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const placementsAt = async (asOf: string, knownAt: string) =>
    (
      await client.query(
        `SELECT entity, institution FROM ${COVERAGE_SCHEMA}.placements
         WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
           AND recorded_at <= $2 AND (superseded_at IS NULL OR superseded_at > $2)`,
        [asOf, knownAt],
      )
    ).rows;

  it('keeps what was believed: a back-dated transfer supersedes rows at its record time only', async () => {
    await projection.apply(
      [event('StaffMemberRegistered', JAN, R1, { institution: 'A', role: 'officer' })],
      tx,
    );
    await projection.apply([event('StaffMemberTransferred', MAR, R2, { institution: 'B' })], tx);
    // Recorded last, happened first: the institution changed in February.
    await projection.apply([event('StaffMemberTransferred', FEB, R3, { institution: 'C' })], tx);

    expect(await placementsAt(FEB_MID, R2)).toEqual([{ entity: 's1', institution: 'A' }]);
    expect(await placementsAt(FEB_MID, R3)).toEqual([{ entity: 's1', institution: 'C' }]);
    expect(await placementsAt(APR, R3)).toEqual([{ entity: 's1', institution: 'B' }]);
    expect(await placementsAt(APR, R1)).toEqual([{ entity: 's1', institution: 'A' }]);
    const rows = await client.query(`SELECT count(*)::int AS n FROM ${COVERAGE_SCHEMA}.placements`);
    expect(rows.rows[0].n).toBe(5);
  });

  it('requirements in force follow the adopted framework version from its effectiveFrom', async () => {
    await projection.apply(
      [
        event(
          'RoleRequirementDefined',
          JAN,
          R1,
          { version: 'v9', role: 'officer', competency: 'ds', minLevel: 'awareness' },
          'framework-v9',
        ),
        event(
          'FrameworkAdopted',
          JAN,
          R1,
          { jurisdiction: 'AL', version: 'v9', effectiveFrom: FEB },
          'jurisdiction-AL',
        ),
      ],
      tx,
    );
    const { rows } = await client.query(
      `SELECT entity, role, competency, min_level, valid_from FROM ${COVERAGE_SCHEMA}.requirements`,
    );
    expect(rows).toEqual([
      { entity: 'AL', role: 'officer', competency: 'ds', min_level: 'awareness', valid_from: new Date(FEB) },
    ]);
  });

  const JAN = '2025-01-01T00:00:00.000Z';
  const FEB = '2025-02-01T00:00:00.000Z';
  const FEB_MID = '2025-02-15T00:00:00.000Z';
  const MAR = '2025-03-01T00:00:00.000Z';
  const APR = '2025-04-01T00:00:00.000Z';
  const R1 = '2025-05-01T00:00:00.000Z';
  const R2 = '2025-05-02T00:00:00.000Z';
  const R3 = '2025-05-03T00:00:00.000Z';
  function event(
    type: string,
    occurredAt: string,
    recordedAt: string,
    data: object,
    stream = 'staff-s1',
  ): RecordedEvent {
    return {
      eventId: randomUUID(),
      type,
      data: { staffId: 's1', agency: 'probation', jurisdiction: 'AL', ...data },
      metadata: { correlationId: 'c', causationId: null, actor: null, occurredAt, schemaVersion: 1 },
      stream,
      revision: 0,
      position: '0',
      recordedAt,
      hash: 'h',
    };
  }
});
