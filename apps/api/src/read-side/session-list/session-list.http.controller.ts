import { Inject, Query } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  SESSION_LIST_SCHEMA,
  SqlConditions,
  decodeCursor,
  pageOf,
  parseInstant,
  parseLimit,
  type Page,
} from '@cadre/read-models';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { ApiController } from '../../shared/api-controller.js';
import { MANAGERS, ReadRoute, SessionListQueryDto, jurisdictionScope, ReadRequest } from '../shared/index.js';
import { bool, instant, int, object, page, str, strings } from '../../shared/response.schemas.js';

interface SessionRow {
  session_id: string;
  programme_id: string;
  starts_at: Date;
  ends_at: Date;
  location: string;
  jurisdictions: string[];
  agencies: string[];
  trainers: string[];
  capacity: number;
  status: string;
  enrolled: number;
  joint: boolean;
}

/** The managers' session list (current state) with the derived joint flag. */
@ApiController({ tag: 'sessions', path: 'v1/sessions' })
export class SessionListHttpController {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  @ReadRoute({
    roles: MANAGERS,
    summary: 'Sessions starting between from and to (jurisdiction, cursor, limit), with `joint`',
    ok: page(
      object({
        sessionId: str(),
        programmeId: str(),
        startsAt: instant(),
        endsAt: instant(),
        location: str(),
        jurisdictions: strings(),
        agencies: strings(),
        trainers: strings(),
        capacity: int(),
        enrolled: int(),
        status: str(),
        joint: bool(),
      }),
    ),
    problems: { 400: ['QUERY.INVALID_PARAMETER'] },
  })
  async list(@Query() params: SessionListQueryDto, @ReadRequest() read: ReadRequest): Promise<Page<object>> {
    const scope = jurisdictionScope(read.actor, params.jurisdiction);
    const limit = parseLimit(params.limit);
    const sql = new SqlConditions();
    if (scope !== null) sql.add(`jurisdictions && ${sql.param(scope)}::text[]`);
    if (params.from !== undefined && params.from !== '')
      sql.add(`starts_at >= ${sql.param(parseInstant(params.from, 'from', new Date(0)))}`);
    if (params.to !== undefined && params.to !== '')
      sql.add(`starts_at <= ${sql.param(parseInstant(params.to, 'to', new Date(0)))}`);
    sql.after(['starts_at', 'session_id'], decodeCursor(params.cursor, 2));
    const rows: SessionRow[] = await this.readModels.query(
      `SELECT * FROM ${SESSION_LIST_SCHEMA}.sessions ${sql.where()} ORDER BY starts_at, session_id LIMIT ${sql.param(limit + 1)}`,
      sql.params,
    );
    return pageOf(
      rows,
      limit,
      (row) => [row.starts_at.toISOString(), row.session_id],
      (row) => ({
        sessionId: row.session_id,
        programmeId: row.programme_id,
        startsAt: row.starts_at.toISOString(),
        endsAt: row.ends_at.toISOString(),
        location: row.location,
        jurisdictions: row.jurisdictions,
        agencies: row.agencies,
        trainers: row.trainers,
        capacity: row.capacity,
        enrolled: row.enrolled,
        status: row.status,
        joint: row.joint,
      }),
    );
  }
}
