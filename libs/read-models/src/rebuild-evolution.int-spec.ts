import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { EVENT_EVOLUTION, type MemberAssignedV1Data } from '@cadre/domain';
import { PostgresEventStore, UpcasterChain, type NewEvent } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ProjectionRebuilder, type Projection } from '@cadre/subscriptions';
import { assignmentLedgerProjection } from './assignment-ledger/assignment-ledger.projection.js';
import { teamCompositionProjection } from './team-composition/team-composition.projection.js';
import { teamListProjection } from './team-list/team-list.projection.js';

/** A read model of the v2 field itself: it cannot be built from a v1 event that is not upcast. */
const memberSince: Projection = {
  name: 'member-since',
  version: 1,
  handles: ['MemberAssigned'],
  tables: ['members'],
  schema: 'rm_member_since',
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.members (team_id text, staff_id text, assigned_at text NOT NULL, PRIMARY KEY (team_id, staff_id))`,
    );
  },
  apply: async (events, tx) => {
    for (const { data } of events) {
      const { teamId, staffId, assignedAt } = data as { teamId: string; staffId: string; assignedAt: string };
      await tx.query(`INSERT INTO ${tx.schema}.members VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        teamId,
        staffId,
        assignedAt,
      ]);
    }
  },
};

const projections = (): Projection[] => [
  memberSince,
  teamListProjection(),
  assignmentLedgerProjection(),
  teamCompositionProjection(),
];

/**
 * Decision 0014, proved on the read side: the same facts, once written as an old Cadre wrote them
 * (MemberAssigned v1, raw) and once as Cadre writes them now (v2), rebuild into the same tables;
 * and rebuilt again over the old log, the tables compare equal to those already there.
 */
describe('rebuilding over a log of old schema versions', () => {
  const logs: Record<'v1' | 'v2', { database: TestDatabase; store: PostgresEventStore; pool: pg.Pool }> =
    {} as never;

  beforeAll(async () => {
    for (const version of ['v1', 'v2'] as const) {
      const database = await createTestDatabase(`rebuild_${version}`);
      const store = await PostgresEventStore.connect({
        connectionString: database.url,
        // The same record time in both logs, and the composition's chain.
        clock: { now: () => new Date(RECORDED_AT) },
        upcast: new UpcasterChain(EVENT_EVOLUTION).upcast,
      });
      for (const [stream, events] of facts(version)) await store.append(stream, events);
      logs[version] = { database, store, pool: new pg.Pool({ connectionString: database.url, max: 4 }) };
    }
  });
  afterAll(async () => {
    for (const { database, store, pool } of Object.values(logs)) {
      await pool.end();
      await store.close();
      await database.drop();
    }
  });

  it('gives the same tables over v1 events as over the same facts written as v2', async () => {
    const tables: Record<string, unknown> = {};
    for (const version of ['v1', 'v2'] as const) {
      const { store, pool } = logs[version];
      const reports = await new ProjectionRebuilder(store, pool).rebuildAll(projections());
      expect(reports.map((r) => [r.projection, r.swapped])).toEqual(projections().map((p) => [p.name, true]));
      tables[version] = await dump(pool, projections());
    }

    expect(tables.v1).toEqual(tables.v2);
    expect((tables.v1 as Record<string, unknown[]>)['rm_member_since.members']).toEqual([
      { team_id: 't-1', staff_id: 's-1', assigned_at: '2025-02-01T09:00:00.000Z' },
      { team_id: 't-1', staff_id: 's-2', assigned_at: '2025-02-03T09:00:00.000Z' },
    ]);
  });

  it('rebuilt again over the v1 log, compares equal to the tables before and swaps', async () => {
    const { store, pool } = logs.v1;
    const reports = await new ProjectionRebuilder(store, pool).rebuildAll(projections());

    expect(reports.map((r) => [r.projection, r.differences, r.swapped])).toEqual(
      projections().map((p) => [p.name, [], true]),
    );
  });
});

const RECORDED_AT = '2025-03-01T00:00:00.000Z';

/** Every table of the projections, rows sorted, without the log positions (each log has its own). */
async function dump(pool: pg.Pool, of: readonly Projection[]): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const projection of of) {
    for (const table of projection.tables) {
      const { rows } = await pool.query(`SELECT * FROM ${projection.schema}.${table}`);
      tables[`${projection.schema}.${table}`] = rows
        .map((row: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(row).filter(([column]) => !/position|^id$/.test(column))),
        )
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
  }
  return tables;
}

/** One team's life, with its assignments in the form of `version`. */
function facts(version: 'v1' | 'v2'): [string, NewEvent[]][] {
  const assignment = (n: number, staffId: string, at: string): NewEvent => {
    const data: MemberAssignedV1Data = {
      teamId: 't-1',
      staffId,
      teamRole: 'psychologist',
      agency: 'prison',
      assignedBy: 'alice',
      qualification: [
        {
          role: 'psychologist',
          competency: 'vep-risk-assessment',
          requiredLevel: 'specialised',
          met: true,
          certificationId: `c-${staffId}`,
          level: 'specialised',
          validUntil: '2027-01-15T00:00:00.000Z',
        },
      ],
      requirementsVersion: 'v1+AL.0',
      override: null,
    };
    return version === 'v1'
      ? fact(n, 'MemberAssigned', data, at, 1)
      : fact(n, 'MemberAssigned', { ...data, assignedAt: at }, at, 2);
  };
  return [
    [
      'team-t-1',
      [
        fact(1, 'TeamFormed', {
          teamId: 't-1',
          name: 'Case 42 MDT',
          jurisdiction: 'AL',
          institutions: ['Peqin Prison'],
          kind: 'prison',
          caseRef: 'CASE-42',
          requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
        }),
        assignment(2, 's-1', '2025-02-01T09:00:00.000Z'),
        fact(3, 'TeamLeadDesignated', { teamId: 't-1', staffId: 's-1' }),
        assignment(4, 's-2', '2025-02-03T09:00:00.000Z'),
        fact(5, 'TeamDeclaredOperational', { teamId: 't-1' }),
        fact(
          6,
          'MemberReleased',
          { teamId: 't-1', staffId: 's-1', reason: 'moved on' },
          '2025-02-10T09:00:00.000Z',
        ),
      ],
    ],
  ];
}

function fact(
  n: number,
  type: string,
  data: unknown,
  occurredAt = '2025-01-20T09:00:00.000Z',
  schemaVersion = 1,
): NewEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    data,
    metadata: {
      correlationId: `c-${n}`,
      causationId: null,
      actor: { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] },
      occurredAt,
      schemaVersion,
    },
  };
}
