/**
 * The audit queries, with the api's own query classes (apps/api/src/read-side/**): the SQL the
 * controllers run for one page (limit 50 + 1, the api's default), at `asOf` now and in the past.
 * Each scenario rotates over the six jurisdictions (an auditor's scope) and, where it takes one,
 * over sample staff or teams.
 */
import 'reflect-metadata';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { AssignmentLedgerQuery } from '../../apps/api/src/read-side/assignment-ledger/assignment-ledger.query.js';
import { ExpiryGapsReadQuery } from '../../apps/api/src/read-side/expiry-gaps/expiry-gaps.query.js';
import { JointTrainingReadQuery } from '../../apps/api/src/read-side/joint-training/joint-training.query.js';
import { MatrixConformanceReadQuery } from '../../apps/api/src/read-side/matrix-conformance/matrix-conformance.query.js';
import { CoverageReadQuery } from '../../apps/api/src/read-side/requirement-coverage/coverage.query.js';
import { StaffTranscriptQuery } from '../../apps/api/src/read-side/staff-transcript/staff-transcript.query.js';
import { TeamCompositionReadQuery } from '../../apps/api/src/read-side/team-composition/team-composition.query.js';
import { TrainerRegistryReadQuery } from '../../apps/api/src/read-side/trainer-registry/trainer-registry.query.js';
import { JURISDICTIONS } from './generate.js';

const LIMIT = 51;

export interface AuditQuery {
  readonly name: string;
  /** Runs the query for call `i` at `asOf`; returns the rows it answered. */
  run(i: number, asOf: Date): Promise<number>;
}

export function auditQueries(
  pool: pg.Pool,
  staffIds: readonly string[],
  teamIds: readonly string[],
): AuditQuery[] {
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

  return [
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
