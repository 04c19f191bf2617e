import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { STAFF_TRANSCRIPT_SCHEMA } from './staff-transcript.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { SqlConditions, visibleAt, type CursorKey, type PointInTime } from '../queries/index.js';

const S = STAFF_TRANSCRIPT_SCHEMA;

export interface TranscriptMember {
  staff_id: string;
  name: string | null;
  employee_ref: string | null;
  agency: string;
  jurisdiction: string;
  institution: string;
  role: string;
  status: string;
  /** False when the member's placement at `asOf` is unknown (before registration). */
  at_point: boolean;
}

/** One line of a transcript: a certification or a training, flat for JSON and CSV alike. */
export interface TranscriptRow {
  kind: 'certification' | 'training';
  item_key: string;
  item_date: Date;
  competency: string | null;
  level: string | null;
  status: string | null;
  certified_until: Date | null;
  window_opens_at: Date | null;
  evidence: unknown;
  session_id: string | null;
  programme_id: string | null;
  competencies: unknown;
  ends_at: Date | null;
  enrolment: string | null;
  attendance: string | null;
  hours: number | null;
  result: string | null;
  score: number | null;
  occurred_at: Date;
  recorded_at: Date;
}

export const transcriptSortKey = (row: TranscriptRow): CursorKey => [
  row.item_date.toISOString(),
  row.kind,
  row.item_key,
];

/** Reads a person's transcript from the bitemporal histories: nothing is replayed at query time. */
@Injectable()
export class StaffTranscriptQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>) {}

  /**
   * The member as placed at `(asOf, knownAt)`, else as last known by `knownAt`, else as known now
   * (for the jurisdiction check of an `asOf` before registration); null when never registered.
   */
  async member(staffId: string, point: PointInTime): Promise<TranscriptMember | null> {
    const rows: TranscriptMember[] = await this.readModels.query(
      `SELECT m.staff_id, n.name, n.employee_ref, m.agency, m.jurisdiction, m.institution, m.role, m.status,
              (${visibleAt('m', '$2', '$3')}) AS at_point
         FROM ${S}.members m LEFT JOIN ${S}.names n ON n.staff_id = m.staff_id
        WHERE m.staff_id = $1
        ORDER BY (${visibleAt('m', '$2', '$3')}) DESC,
                 (m.recorded_at <= $3 AND (m.superseded_at IS NULL OR m.superseded_at > $3)) DESC,
                 (m.superseded_at IS NULL) DESC, m.valid_from DESC
        LIMIT 1`,
      [staffId, point.asOf, point.knownAt],
    );
    return rows[0] ?? null;
  }

  async page(
    staffId: string,
    point: PointInTime & { competency?: string },
    after: CursorKey | undefined,
    limit: number,
  ): Promise<TranscriptRow[]> {
    const sql = new SqlConditions();
    const id = sql.param(staffId);
    const asOf = sql.param(point.asOf);
    const knownAt = sql.param(point.knownAt);
    const competency = point.competency === undefined ? null : sql.param(point.competency);
    sql.after(['x.item_date', 'x.kind', 'x.item_key'], after);
    return this.readModels.query(
      `SELECT * FROM (
         SELECT 'certification' AS kind, c.certification_id AS item_key, c.certified_from AS item_date,
                c.competency, c.level, c.status, c.certified_until, c.window_opens_at, c.evidence,
                NULL::text AS session_id, NULL::text AS programme_id, NULL::jsonb AS competencies,
                NULL::timestamptz AS ends_at, NULL::text AS enrolment, NULL::text AS attendance,
                NULL::jsonb AS hours, NULL::text AS result, NULL::jsonb AS score,
                c.valid_from AS occurred_at, c.recorded_at
           FROM ${S}.certifications c
          WHERE c.staff_id = ${id} AND ${visibleAt('c', asOf, knownAt)}
                ${competency ? `AND c.competency = ${competency}` : ''}
         UNION ALL
         SELECT 'training', t.session_id, COALESCE(s.starts_at, t.valid_from),
                NULL, NULL, s.status, NULL, NULL, NULL,
                t.session_id, s.programme_id, s.competencies, s.ends_at, t.enrolment, t.attendance,
                t.hours, t.result, t.score, t.valid_from, t.recorded_at
           FROM ${S}.trainings t LEFT JOIN ${S}.sessions s ON s.session_id = t.session_id
          WHERE t.staff_id = ${id} AND ${visibleAt('t', asOf, knownAt)}
                ${competency ? `AND s.competencies @> jsonb_build_array(jsonb_build_object('competency', ${competency}::text))` : ''}
       ) x ${sql.where()}
       ORDER BY x.item_date, x.kind, x.item_key
       LIMIT ${sql.param(limit)}`,
      sql.params,
    );
  }
}
