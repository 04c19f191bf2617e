import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EXPIRY_GAPS_SCHEMA } from './expiry-gaps.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import {
  SqlConditions,
  visibleAt,
  visibleAtIndexed,
  type CursorKey,
  type PointInTime,
  type ReadFilters,
} from '../queries/index.js';

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
 *
 * One branch per team rank (serving on a team at the point: 0, else 1), each a walk of
 * `certifications_by_end` in the page's order (end, staff, certification) that stops at the page's
 * end: the member, the covering certification and the team service are index probes per
 * candidate, not joins of every certification held at the point (the covering one is looked up by
 * `m.staff_id`, so only for candidates whose member is in scope). The team service is a probe of
 * `team_members_by_member` (GIN) written `(EXISTS …) IS TRUE` so that it stays a per-candidate
 * test: as a semi-join, or as a set of everyone serving at the point, PostgreSQL plans it as a
 * join of every certification or a linear scan per candidate (350 ms at 1M events, against 13 ms).
 * The rank-1 walk runs only when rank 0 leaves room on the page. A cursor on rank 1 skips the
 * rank-0 branch; on rank 0 it bounds that branch's walk.
 */
@Injectable()
export class ExpiryGapsReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>) {}

  async page(query: ExpiryGapsQuery, after: CursorKey | undefined, limit: number): Promise<ExpiryGapRow[]> {
    const sql = new SqlConditions();
    const asOf = sql.param(query.asOf);
    const knownAt = sql.param(query.knownAt);
    const within = sql.param(query.within);
    const pageSize = sql.param(limit);
    sql
      .add(visibleAtIndexed('c', asOf, knownAt))
      .add(
        `(c.status IN ('expired', 'window-open')
          OR (c.status = 'valid' AND c.certified_until <= ${asOf}::timestamptz + make_interval(days => ${within}::int)))`,
      )
      .add(
        `NOT (c.status = 'expired' AND EXISTS (
           SELECT 1 FROM ${S}.certifications o
            WHERE o.staff_id = m.staff_id AND o.competency = c.competency AND o.level_rank >= c.level_rank
              AND o.status IN ('valid', 'window-open') AND ${visibleAtIndexed('o', asOf, knownAt)}))`,
      )
      .inScope('m.jurisdiction', query.scope)
      .equals('m.institution', query.institution)
      .equals('m.agency', query.agency)
      .equals('m.role', query.role)
      .equals('c.competency', query.competency);
    const afterRank = after === undefined ? undefined : Number(after[0]);
    const branch = (rank: 0 | 1): string | null => {
      if (afterRank !== undefined && afterRank > rank) return null;
      const bound =
        afterRank === rank
          ? `AND (c.certified_until, c.staff_id, c.certification_id) > (${sql.param(after![1])}::timestamptz, ${sql.param(after![2])}, ${sql.param(after![3])})`
          : '';
      return `(SELECT ${rank} AS team_rank,
                CASE WHEN c.status = 'valid' THEN 'expiring' ELSE c.status END AS gap,
                c.staff_id, n.name, m.agency, m.jurisdiction, m.institution, m.role,
                c.certification_id, c.competency, c.level, c.status,
                c.certified_from, c.certified_until, c.window_opens_at, c.recorded_at
           FROM ${S}.certifications c
           JOIN ${S}.members m ON m.staff_id = c.staff_id AND m.status = 'active' AND ${visibleAt('m', asOf, knownAt)}
           LEFT JOIN ${S}.names n ON n.staff_id = c.staff_id
          ${sql.where()} ${bound}
            AND (EXISTS (SELECT 1 FROM ${S}.team_members t
                          WHERE t.members @> ARRAY[c.staff_id] AND ${visibleAtIndexed('t', asOf, knownAt)}))
                IS ${rank === 0 ? 'TRUE' : 'NOT TRUE'}
            ${rank === 1 && rank0 !== null ? `AND (SELECT count(*) FROM rank0) < ${pageSize}` : ''}
          ORDER BY c.certified_until, c.staff_id, c.certification_id
          LIMIT ${pageSize})`;
    };
    // Rank 1 only when rank 0 leaves room on the page: a one-time filter, so its walk is not even
    // started when rank 0 fills the page.
    const rank0 = branch(0);
    const rank1 = branch(1);
    if (rank0 === null && rank1 === null) return []; // a cursor past rank 1: nothing after it
    return this.readModels.query(
      `${rank0 === null ? '' : `WITH rank0 AS MATERIALIZED ${rank0}`}
       SELECT * FROM (${[rank0 === null ? null : 'SELECT * FROM rank0', rank1].filter((b) => b !== null).join(' UNION ALL ')}) x
       ORDER BY x.team_rank, x.certified_until, x.staff_id, x.certification_id
       LIMIT ${pageSize}`,
      sql.params,
    );
  }
}
