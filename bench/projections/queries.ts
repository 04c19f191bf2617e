/**
 * The audit queries, with the api's own query classes (apps/api/src/read-side/**): the SQL the
 * controllers run for one page (limit 50 + 1, the api's default), at `asOf` now and in the past.
 * Each scenario rotates over the six jurisdictions (an auditor's scope) and, where it takes one,
 * over sample staff or teams.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  AssignmentLedgerQuery,
  ExpiryGapsReadQuery,
  JointTrainingReadQuery,
  MatrixConformanceReadQuery,
  EligibilityReadQuery,
  eligibleStaff,
  CoverageReadQuery,
  StaffTranscriptQuery,
  TeamCompositionReadQuery,
  TrainerRegistryReadQuery,
} from '@cadre/read-models';
import { JURISDICTIONS } from './generate.js';

const LIMIT = 51;

export interface AuditQuery {
  readonly name: string;
  /** Runs the query for call `i` at `asOf`; returns the rows it answered. */
  run(i: number, asOf: Date): Promise<number>;
  /** Asked at the clock only (no `asOf` in the api): no "past" scenario. */
  readonly nowOnly?: boolean;
  /** Its own p95 target in ms, where the issue sets one (the audit queries' is 50). */
  readonly targetMs?: number;
  /** What the scenario ran on, added to its BENCH line. */
  describe?(): Record<string, unknown>;
}

export async function auditQueries(
  pool: pg.Pool,
  staffIds: readonly string[],
  teamIds: readonly string[],
): Promise<AuditQuery[]> {
  // The api hands these classes TypeORM's DataSource and calls only its `query(sql, params)`.
  const readModels = {
    query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows,
  } as unknown as DataSource;
  const coverage = new CoverageReadQuery(readModels);
  const ledger = new AssignmentLedgerQuery(readModels);
  const gaps = new ExpiryGapsReadQuery(readModels);
  const transcript = new StaffTranscriptQuery(readModels);
  const composition = new TeamCompositionReadQuery(readModels);
  const matrix = new MatrixConformanceReadQuery(readModels);
  const joint = new JointTrainingReadQuery(readModels);
  const trainers = new TrainerRegistryReadQuery(readModels);
  const knownAt = new Date();
  const scope = (i: number): string[] => [JURISDICTIONS[i % JURISDICTIONS.length]];
  const staff = (i: number): string => staffIds[(i * 7) % staffIds.length];
  const team = (i: number): string => teamIds[(i * 7) % teamIds.length];

  const eligibility = await eligibilityQuery(pool, readModels);

  return [
    ...(eligibility ? [eligibility] : []),
    {
      name: 'coverage',
      run: async (i, asOf) =>
        (await coverage.page({ asOf, knownAt, scope: scope(i) }, undefined, LIMIT)).length,
    },
    {
      name: 'assignments',
      run: async (i, asOf) =>
        (await ledger.page({ asOf, knownAt, scope: scope(i) }, undefined, LIMIT)).length,
    },
    {
      name: 'expiry-gaps',
      run: async (i, asOf) =>
        (await gaps.page({ asOf, knownAt, scope: scope(i), within: 90 }, undefined, LIMIT)).length,
    },
    {
      name: 'transcript',
      run: async (i, asOf) => {
        const [member, rows] = await Promise.all([
          transcript.member(staff(i), { asOf, knownAt }),
          transcript.page(staff(i), { asOf, knownAt }, undefined, LIMIT),
        ]);
        return (member ? 1 : 0) + rows.length;
      },
    },
    {
      name: 'team-composition',
      run: async (i, asOf) => {
        const at = { asOf, knownAt };
        const [jurisdiction, head, members, lapses] = await Promise.all([
          composition.jurisdictionOf(team(i)),
          composition.team(team(i), at),
          composition.members(team(i), at),
          composition.lapses(team(i), at),
        ]);
        return (jurisdiction ? 1 : 0) + (head ? 1 : 0) + members.length + lapses.length;
      },
    },
    {
      name: 'matrix',
      run: async (i, asOf) => (await matrix.answer({ asOf, knownAt }, scope(i))).jurisdictions.length,
    },
    {
      name: 'joint-training',
      run: async (i, asOf) => {
        const query = { asOf, knownAt, months: 12, scope: scope(i) };
        const [periods, shares] = await Promise.all([joint.periods(query), joint.shares(query)]);
        return periods.length + shares.length;
      },
    },
    {
      name: 'trainers',
      run: async (i, asOf) =>
        (await trainers.page({ asOf, knownAt, scope: scope(i) }, undefined, LIMIT)).length,
    },
  ];
}

/**
 * "Who is eligible for this team role" (issue 10: p95 ≤ 200 ms at 5,000 staff in the
 * jurisdiction): the controller's whole work after the team lookup (`eligibleStaff`: the rules,
 * the members, every active staff member of the jurisdiction judged with the one rule, sorted, a
 * page of 50) plus the JSON of the page, on the teams of the jurisdiction with the most active
 * staff, rotating over the framework's roles. Null when that jurisdiction has no team.
 */
async function eligibilityQuery(pool: pg.Pool, readModels: DataSource): Promise<AuditQuery | null> {
  const crowded = await pool.query<{ jurisdiction: string; staff: number }>(
    `SELECT jurisdiction, count(*)::int AS staff FROM rm_coverage.person_histories
     WHERE status = 'active' GROUP BY jurisdiction ORDER BY 2 DESC, 1 LIMIT 1`,
  );
  const place = crowded.rows[0];
  if (!place) return null;
  const teams = (
    await pool.query<{ team_id: string }>(
      `SELECT team_id FROM rm_team_list.teams WHERE jurisdiction = $1 ORDER BY team_id LIMIT 20`,
      [place.jurisdiction],
    )
  ).rows.map((row) => row.team_id);
  const roles = (
    await pool.query<{ role: string }>(`SELECT DISTINCT role FROM rm_coverage.framework_roles ORDER BY role`)
  ).rows.map((row) => row.role);
  if (teams.length === 0 || roles.length === 0) return null;
  // One instance for the whole scenario, as the api has one: its first call reads every history
  // (reported as coldCallMs), the next ones only the histories that changed.
  const read = new EligibilityReadQuery(readModels);
  let coldCallMs: number | null = null;
  return {
    name: 'eligibility',
    nowOnly: true,
    targetMs: 200,
    describe: () => ({
      jurisdiction: place.jurisdiction,
      activeStaff: place.staff,
      teams: teams.length,
      coldCallMs,
    }),
    run: async (i) => {
      const started = performance.now();
      const teamId = teams[i % teams.length]!;
      const team = await read.team(teamId);
      if (!team) throw new Error(`team ${teamId} is not in the team list`);
      const ask = { teamRole: roles[i % roles.length]!, onlyEligible: false, after: undefined, limit: 50 };
      const page = await eligibleStaff(read, teamId, team, ask, new Date());
      const rows = JSON.stringify(page).length > 0 ? page.items.length : 0;
      coldCallMs ??= Math.round(performance.now() - started);
      return rows;
    },
  };
}
