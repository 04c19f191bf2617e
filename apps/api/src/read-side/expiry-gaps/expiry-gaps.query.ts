import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EXPIRY_GAPS_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import {
  SqlConditions,
  visibleAt,
  type CursorKey,
  type PointInTime,
  type ReadFilters,
} from '../shared/index.js';

const S = EXPIRY_GAPS_SCHEMA;

export interface ExpiryGapsQuery extends PointInTime, ReadFilters {
  readonly scope: readonly string[] | null;
  /** Days ahead of `asOf` a valid certification counts as expiring: 30, 60 or 90. */
  readonly within: number;
}

export interface ExpiryGapRow {
  team_rank: number;
  gap: 'expired' | 'window-open' | 'expiring';
  staff_id: string;
  name: string | null;
  agency: string;
  jurisdiction: string;
  institution: string;
  role: string;
  certification_id: string;
  competency: string;
  level: string;
  status: string;
  certified_from: Date;
  certified_until: Date;
  window_opens_at: Date;
  recorded_at: Date;
}

export const expiryGapSortKey = (row: ExpiryGapRow): CursorKey => [
  row.team_rank,
  row.certified_until.toISOString(),
  row.staff_id,
  row.certification_id,
];

/**
 * Certifications of active members, at `(asOf, knownAt)`, that are expired (and not covered by
 * another valid one of the same competency at or above their level), in their window, or valid
 * but ending within `within` days — team (MDT) members first, then the soonest to end.
 */
@Injectable()
export class ExpiryGapsReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>) {}

  async page(query: ExpiryGapsQuery, after: CursorKey | undefined, limit: number): Promise<ExpiryGapRow[]> {
    const sql = new SqlConditions();
    const asOf = sql.param(query.asOf);
    const knownAt = sql.param(query.knownAt);
    const within = sql.param(query.within);
    sql
      .inScope('x.jurisdiction', query.scope)
      .equals('x.institution', query.institution)
      .equals('x.agency', query.agency)
      .equals('x.role', query.role)
      .equals('x.competency', query.competency)
      .after(['x.team_rank', 'x.certified_until', 'x.staff_id', 'x.certification_id'], after);
    return this.readModels.query(
      `WITH serving AS (
         SELECT DISTINCT unnest(t.members) AS staff_id FROM ${S}.team_members t
          WHERE ${visibleAt('t', asOf, knownAt)}
       ), held AS (
         SELECT c.* FROM ${S}.certifications c WHERE ${visibleAt('c', asOf, knownAt)}
       )
       SELECT * FROM (
         SELECT CASE WHEN s.staff_id IS NULL THEN 1 ELSE 0 END AS team_rank,
                CASE WHEN c.status = 'valid' THEN 'expiring' ELSE c.status END AS gap,
                c.staff_id, n.name, m.agency, m.jurisdiction, m.institution, m.role,
                c.certification_id, c.competency, c.level, c.status,
                c.certified_from, c.certified_until, c.window_opens_at, c.recorded_at
           FROM held c
           JOIN ${S}.members m ON m.staff_id = c.staff_id AND m.status = 'active' AND ${visibleAt('m', asOf, knownAt)}
           LEFT JOIN ${S}.names n ON n.staff_id = c.staff_id
           LEFT JOIN serving s ON s.staff_id = c.staff_id
          WHERE (c.status IN ('expired', 'window-open')
                 OR (c.status = 'valid' AND c.certified_until <= ${asOf}::timestamptz + make_interval(days => ${within}::int)))
            AND NOT (c.status = 'expired' AND EXISTS (
                  SELECT 1 FROM held o WHERE o.staff_id = c.staff_id AND o.competency = c.competency
                     AND o.level_rank >= c.level_rank AND o.status IN ('valid', 'window-open')))
       ) x ${sql.where()}
       ORDER BY x.team_rank, x.certified_until, x.staff_id, x.certification_id
       LIMIT ${sql.param(limit)}`,
      sql.params,
    );
  }
}
