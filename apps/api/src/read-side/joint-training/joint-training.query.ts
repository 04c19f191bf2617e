import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { COVERAGE_SCHEMA, JOINT_TRAINING_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import { visibleAt, type PointInTime } from '../shared/index.js';

export interface JointTrainingQuery extends PointInTime {
  readonly months: number;
  readonly scope: readonly string[] | null;
}

export interface PeriodRow {
  period: string;
  joint_sessions: number;
}

export interface ShareRow {
  jurisdiction: string;
  agency: string;
  headcount: number;
  with_joint: number;
}

/**
 * Joint sessions (both prison and probation attended, as recorded by `asOf`, known at `knownAt`)
 * started in the `months` before `asOf`, per calendar month (UTC); and, per jurisdiction, the share
 * of prison and of probation staff (placed then) who attended at least one of them.
 */
@Injectable()
export class JointTrainingReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /**
   * `a`: the attendances (not absent) of sessions started in the window, as recorded by `asOf` and
   * known at `knownAt`; `jw`: those sessions attended by both prison and probation. A session's
   * start and jurisdictions are the same on all its rows, so filtering the rows by the window
   * (sargable: `attendances_by_start`) before grouping selects the same sessions as filtering the
   * groups, and reads only the window's rows; likewise `inScope` keeps only the rows of sessions
   * in the scope's jurisdictions ($4).
   */
  private joint(inScope = false): string {
    return `a AS (SELECT a.entity AS session_id, a.staff_id, a.agency, a.starts_at, a.session_jurisdictions
                  FROM ${JOINT_TRAINING_SCHEMA}.attendances a
                  WHERE a.starts_at > $1::timestamptz - make_interval(months => $3::int) AND a.starts_at <= $1
                    AND ${visibleAt('a', '$1', '$2')} AND a.attendance <> 'absent'
                    ${inScope ? `AND ($4::text[] IS NULL OR a.session_jurisdictions && $4::text[])` : ''}),
            jw AS (SELECT session_id, min(starts_at) AS starts_at, min(session_jurisdictions) AS jurisdictions FROM a
                  GROUP BY session_id HAVING bool_or(agency = 'prison') AND bool_or(agency = 'probation'))`;
  }

  periods(query: JointTrainingQuery): Promise<PeriodRow[]> {
    return this.readModels.query(
      `WITH ${this.joint(true)}
       SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM') AS period, count(*)::int AS joint_sessions
       FROM jw WHERE ($4::text[] IS NULL OR jurisdictions && $4::text[])
       GROUP BY 1 ORDER BY 1`,
      [query.asOf, query.knownAt, query.months, query.scope],
    );
  }

  /** One pass: the placed staff left-joined to the set of those with a joint attendance. */
  shares(query: JointTrainingQuery): Promise<ShareRow[]> {
    return this.readModels.query(
      `WITH ${this.joint()},
            joint_staff AS (SELECT DISTINCT a.staff_id FROM a JOIN jw USING (session_id)),
            p AS (SELECT p.entity AS staff_id, p.jurisdiction, p.agency FROM ${COVERAGE_SCHEMA}.placements p
                  WHERE ${visibleAt('p', '$1', '$2')} AND p.agency IN ('prison', 'probation')
                    AND ($4::text[] IS NULL OR p.jurisdiction = ANY($4::text[])))
       SELECT p.jurisdiction, p.agency, count(*)::int AS headcount,
              (count(*) FILTER (WHERE js.staff_id IS NOT NULL))::int AS with_joint
       FROM p LEFT JOIN joint_staff js ON js.staff_id = p.staff_id
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [query.asOf, query.knownAt, query.months, query.scope],
    );
  }
}
