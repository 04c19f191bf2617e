import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ASSIGNMENT_LEDGER_SCHEMA } from './assignment-ledger.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { SqlConditions, visibleAt, type CursorKey, type PointInTime } from '../queries/index.js';

export interface LedgerQuery extends PointInTime {
  readonly scope: readonly string[] | null;
  readonly team?: string;
}

export interface LedgerRow {
  event_id: string;
  team_id: string;
  jurisdiction: string;
  kind: string;
  staff_id: string | null;
  team_role: string | null;
  acted_by: string | null;
  override_id: string | null;
  requested_by: string | null;
  approved_by: string | null;
  justification: string | null;
  reason: string | null;
  qualification: unknown;
  violations: unknown;
  requirements_version: string | null;
  correlation_id: string;
  valid_from: Date;
  recorded_at: Date;
  seq: string;
}

export const ledgerSortKey = (row: LedgerRow): CursorKey => [row.valid_from.toISOString(), row.seq];

/** Reads the assignment ledger as it stood at `asOf`, as known at `knownAt`, in business-time order. */
@Injectable()
export class AssignmentLedgerQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async page(query: LedgerQuery, after: CursorKey | undefined, limit: number): Promise<LedgerRow[]> {
    const sql = new SqlConditions();
    const asOf = sql.param(query.asOf);
    const knownAt = sql.param(query.knownAt);
    sql
      .add(visibleAt('e', asOf, knownAt))
      .inScope('e.jurisdiction', query.scope)
      .equals('e.team_id', query.team)
      .after(['e.valid_from', 'e.seq'], after);
    return this.readModels.query(
      `SELECT e.* FROM ${ASSIGNMENT_LEDGER_SCHEMA}.entries e ${sql.where()}
       ORDER BY e.valid_from, e.seq LIMIT ${sql.param(limit)}`,
      sql.params,
    );
  }
}
