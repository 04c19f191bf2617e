import { Inject, Query } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  TEAM_LIST_SCHEMA,
  InvalidQueryParameterError,
  SqlConditions,
  decodeCursor,
  pageOf,
  parseLimit,
  type Page,
} from '@cadre/read-models';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { ApiController } from '../../shared/api-controller.js';
import { MANAGERS, ReadRoute, TeamListQueryDto, jurisdictionScope, ReadRequest } from '../shared/index.js';
import {
  anything,
  instant,
  int,
  nullableStr,
  object,
  page,
  str,
  strings,
} from '../../shared/response.schemas.js';

const STATUSES = ['forming', 'operational', 'dissolved'];

interface TeamRow {
  team_id: string;
  name: string;
  jurisdiction: string;
  institutions: string[];
  kind: string;
  case_ref: string;
  required_disciplines: unknown;
  status: string;
  member_count: number;
  lead_staff_id: string | null;
  formed_at: Date;
}

/** The managers' team list (current state), within their jurisdictions. */
@ApiController({ tag: 'teams', path: 'v1/teams' })
export class TeamListHttpController {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  @ReadRoute({
    roles: MANAGERS,
    summary: 'Teams (jurisdiction, status, cursor, limit)',
    ok: page(
      object({
        teamId: str(),
        name: str(),
        jurisdiction: str(),
        institutions: strings(),
        kind: str(),
        caseRef: str(),
        requiredDisciplines: { type: 'array', items: anything('A role and its minimum count') },
        status: str(),
        memberCount: int(),
        leadStaffId: nullableStr(),
        formedAt: instant(),
      }),
    ),
  })
  async list(@Query() params: TeamListQueryDto, @ReadRequest() read: ReadRequest): Promise<Page<object>> {
    const scope = jurisdictionScope(read.actor, params.jurisdiction);
    const status = params.status === undefined || params.status === '' ? undefined : String(params.status);
    if (status !== undefined && !STATUSES.includes(status))
      throw new InvalidQueryParameterError('status', STATUSES.join(', '));
    const limit = parseLimit(params.limit);
    const sql = new SqlConditions()
      .inScope('jurisdiction', scope)
      .equals('status', status)
      .after(['formed_at', 'team_id'], decodeCursor(params.cursor, 2));
    const rows: TeamRow[] = await this.readModels.query(
      `SELECT * FROM ${TEAM_LIST_SCHEMA}.teams ${sql.where()} ORDER BY formed_at, team_id LIMIT ${sql.param(limit + 1)}`,
      sql.params,
    );
    return pageOf(
      rows,
      limit,
      (row) => [row.formed_at.toISOString(), row.team_id],
      (row) => ({
        teamId: row.team_id,
        name: row.name,
        jurisdiction: row.jurisdiction,
        institutions: row.institutions,
        kind: row.kind,
        caseRef: row.case_ref,
        requiredDisciplines: row.required_disciplines,
        status: row.status,
        memberCount: row.member_count,
        leadStaffId: row.lead_staff_id,
        formedAt: row.formed_at.toISOString(),
      }),
    );
  }
}
