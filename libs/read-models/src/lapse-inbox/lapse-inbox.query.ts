import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LAPSE_INBOX_SCHEMA } from './lapse-inbox.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { SqlConditions, type CursorKey } from '../queries/index.js';

const S = LAPSE_INBOX_SCHEMA;

export interface LapseInboxQuery {
  readonly scope: readonly string[] | null;
  readonly acknowledged?: boolean;
}

export interface InboxItemRow {
  lapse_id: string;
  team_id: string;
  team_name: string | null;
  jurisdiction: string | null;
  staff_id: string | null;
  name: string | null;
  kind: string;
  team_role: string | null;
  certification_id: string | null;
  competency: string | null;
  cause: string;
  since: Date | null;
  unmet: unknown;
  detail: string | null;
  requalified_at: Date | null;
  occurred_at: Date;
  recorded_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  note: string | null;
}

export const lapseSortKey = (row: InboxItemRow): CursorKey => [row.recorded_at.toISOString(), row.lapse_id];

/** The lapse inbox in the order lapses were recorded: the oldest first, to work through. */
@Injectable()
export class LapseInboxReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>) {}

  async page(query: LapseInboxQuery, after: CursorKey | undefined, limit: number): Promise<InboxItemRow[]> {
    const sql = new SqlConditions().inScope('t.jurisdiction', query.scope);
    if (query.acknowledged !== undefined) {
      sql.add(query.acknowledged ? 'l.acknowledged_at IS NOT NULL' : 'l.acknowledged_at IS NULL');
    }
    sql.after(['l.recorded_at', 'l.lapse_id'], after);
    return this.readModels.query(
      `SELECT l.*, l.lapse_id::text AS lapse_id, t.name AS team_name, t.jurisdiction, n.name
         FROM ${S}.lapses l
         LEFT JOIN ${S}.teams t ON t.team_id = l.team_id
         LEFT JOIN ${S}.names n ON n.staff_id = l.staff_id
        ${sql.where()}
        ORDER BY l.recorded_at, l.lapse_id LIMIT ${sql.param(limit)}`,
      sql.params,
    );
  }

  /** The team a lapse was recorded on, per the inbox (the handler then reads the team's stream). */
  async teamOf(lapseId: string): Promise<string | null> {
    if (!/^[0-9a-f-]{36}$/i.test(lapseId)) return null;
    const rows: { team_id: string }[] = await this.readModels.query(
      `SELECT team_id FROM ${S}.lapses WHERE lapse_id = $1::uuid`,
      [lapseId],
    );
    return rows[0]?.team_id ?? null;
  }
}
