import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { COVERAGE_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import {
  SqlConditions,
  visibleAt,
  type CursorKey,
  type PointInTime,
  type ReadFilters,
} from '../shared/index.js';

export interface CoverageQuery extends PointInTime, ReadFilters {
  readonly scope: readonly string[] | null;
}

export interface CoverageRow {
  jurisdiction: string;
  institution: string;
  agency: string;
  role: string;
  requirement_role: string;
  competency: string;
  min_level: string;
  framework_version: string;
  headcount: number;
  meeting: number;
}

const KEY = [
  'jurisdiction',
  'institution',
  'agency',
  'role',
  'requirement_role',
  'competency',
  'min_level',
] as const;

export const coverageSortKey = (row: CoverageRow): CursorKey => KEY.map((column) => row[column]);

/**
 * Coverage at `(asOf, knownAt)`: the placements, certification validity and requirements in force
 * visible then, joined — each person counted once per requirement that applies to their role
 * (their own role's and all-staff's), meeting it when a certification of that competency at or
 * above the level counted at `asOf`.
 */
@Injectable()
export class CoverageReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async page(query: CoverageQuery, after: CursorKey | undefined, limit: number): Promise<CoverageRow[]> {
    const sql = new SqlConditions();
    const asOf = sql.param(query.asOf);
    const knownAt = sql.param(query.knownAt);
    const s = COVERAGE_SCHEMA;
    const people = new SqlConditions();
    people.params.push(...sql.params);
    people
      .add(visibleAt('p', asOf, knownAt))
      .inScope('p.jurisdiction', query.scope)
      .equals('p.institution', query.institution)
      .equals('p.agency', query.agency)
      .equals('p.role', query.role);
    const rows = new SqlConditions();
    rows.params.push(...people.params);
    rows.equals('g.competency', query.competency).after(
      KEY.map((column) => `g.${column}`),
      after,
    );
    return this.readModels.query(
      `WITH p AS (SELECT p.entity AS staff_id, p.jurisdiction, p.institution, p.agency, p.role
                  FROM ${s}.placements p ${people.where()}),
            r AS (SELECT r.entity AS jurisdiction, r.role, r.competency, r.min_level, r.min_rank, r.framework_version
                  FROM ${s}.requirements r WHERE ${visibleAt('r', asOf, knownAt)}),
            c AS (SELECT c.entity AS staff_id, c.competency, max(c.level_rank) AS level_rank
                  FROM ${s}.certifications c WHERE ${visibleAt('c', asOf, knownAt)} GROUP BY 1, 2),
            g AS (SELECT p.jurisdiction, p.institution, p.agency, p.role, r.role AS requirement_role,
                         r.competency, r.min_level, r.framework_version, count(*)::int AS headcount,
                         (count(*) FILTER (WHERE c.level_rank >= r.min_rank))::int AS meeting
                  FROM p JOIN r ON r.jurisdiction = p.jurisdiction AND (r.role = p.role OR r.role = 'all-staff')
                  LEFT JOIN c ON c.staff_id = p.staff_id AND c.competency = r.competency
                  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
       SELECT * FROM g ${rows.where()}
       ORDER BY ${KEY.map((column) => `g.${column}`).join(', ')}
       LIMIT ${rows.param(limit)}`,
      rows.params,
    );
  }
}
