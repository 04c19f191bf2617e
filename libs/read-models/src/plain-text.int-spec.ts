import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore, type NewEvent } from '@cadre/event-store';
import { measureLag, ProjectionRebuilder, ProjectionRunner, type Projection } from '@cadre/subscriptions';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { assignmentLedgerProjection } from './assignment-ledger/assignment-ledger.projection.js';
import { historyProjection } from './history/history.projection.js';
import { teamCompositionProjection } from './team-composition/team-composition.projection.js';
import { teamListProjection } from './team-list/team-list.projection.js';

const projections = (): Projection[] => [
  teamListProjection(),
  teamCompositionProjection(),
  assignmentLedgerProjection(),
  historyProjection(),
];

const TEAM = randomUUID();
const metadata = (occurredAt: string, reason?: string): NewEvent['metadata'] => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: { sub: 'mgr\u0000legacy', roles: ['manager'], jurisdictions: ['AL'] },
  occurredAt,
  schemaVersion: 1,
  ...(reason === undefined ? {} : { reason }),
});

/** As a release without the plain-text rule recorded them (decision 0017). */
const LEGACY: NewEvent[] = [
  {
    eventId: randomUUID(),
    type: 'TeamFormed',
    data: {
      teamId: TEAM,
      name: 'MDT\u0000Podgorica',
      jurisdiction: 'AL',
      institutions: ['Prison\u0000Podgorica', 'Zatvor \ud800 Spuž'],
      kind: 'joint',
      caseRef: 'CASE-\udc00-7',
      requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
    },
    metadata: metadata('2026-01-05T09:00:00.000Z', 'Recorded late\u0000'),
  },
  {
    eventId: randomUUID(),
    type: 'TeamDissolved',
    data: { teamId: TEAM, reason: 'Closed\u0000\ud800' },
    metadata: metadata('2026-02-05T09:00:00.000Z'),
  },
];

/**
 * Text recorded before the plain-text rule (a NUL, a lone surrogate) is projected with U+FFFD by
 * the live runner (query parameters) and by a rebuild (COPY), the same rows either way.
 */
describe('text recorded before the plain-text rule, on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('plain_text');
    store = await PostgresEventStore.connect({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    await store.append(`team-${TEAM}`, LEGACY);
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await database.drop();
  });

  it('is projected live with U+FFFD, every projection moving past it', async () => {
    const runners = projections().map(
      (projection) => new ProjectionRunner(store, pool, database.url, projection, { leaseRetryMs: 50 }),
    );
    for (const runner of runners) runner.start();
    try {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const lags = await measureLag(store, pool, projections());
        if (lags.every((lag) => lag.known && lag.lagEvents === 0)) break;
        if (Date.now() > deadline) {
          const statuses = runners.map((runner) => runner.status());
          throw new Error(`not caught up: ${JSON.stringify({ lags, statuses })}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
    const { rows } = await pool.query(
      `SELECT name, institutions, case_ref, status FROM rm_team_list.teams WHERE team_id = $1`,
      [TEAM],
    );
    expect(rows).toEqual([
      {
        name: 'MDT\uFFFDPodgorica',
        institutions: ['Prison\uFFFDPodgorica', 'Zatvor \uFFFD Spuž'],
        case_ref: 'CASE-\uFFFD-7',
        status: 'dissolved',
      },
    ]);
    const facts = await pool.query(`SELECT data FROM rm_team_composition.team_facts WHERE entity = $1`, [
      TEAM,
    ]);
    expect(facts.rows.map((row) => row.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'MDT\uFFFDPodgorica', caseRef: 'CASE-\uFFFD-7' }),
        expect.objectContaining({ reason: 'Closed\uFFFD\uFFFD' }),
      ]),
    );
    const history = await pool.query(`SELECT actor_sub FROM rm_history.events WHERE stream = $1`, [
      `team-${TEAM}`,
    ]);
    expect(history.rows.map((row) => row.actor_sub)).toEqual(['mgr\uFFFDlegacy', 'mgr\uFFFDlegacy']);
  });

  it('is rebuilt (COPY) into the same rows as the live runner wrote', async () => {
    const reports = await new ProjectionRebuilder(store, pool).rebuildAll(projections());
    expect(reports.map((report) => [report.projection, report.swapped, report.differences])).toEqual(
      projections().map((projection) => [projection.name, true, []]),
    );
    const teams = await pool.query(`SELECT name FROM rm_team_composition.teams WHERE entity = $1`, [TEAM]);
    expect(teams.rows.map((row) => row.name)).toContain('MDT\uFFFDPodgorica');
    const facts = await pool.query(`SELECT data FROM rm_team_composition.team_facts WHERE entity = $1`, [
      TEAM,
    ]);
    expect(facts.rows.map((row) => row.data.reason ?? row.data.name)).toEqual(
      expect.arrayContaining(['MDT\uFFFDPodgorica', 'Closed\uFFFD\uFFFD']),
    );
  });
});
