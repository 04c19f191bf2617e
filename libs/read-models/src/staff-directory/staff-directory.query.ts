import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { STAFF_DIRECTORY_SCHEMA } from './staff-directory.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { SqlConditions, type CursorKey, type ReadFilters } from '../queries/index.js';

export interface DirectoryQuery extends Omit<ReadFilters, 'competency'> {
  readonly scope: readonly string[] | null;
  /** Matches the name or the employeeRef, case-insensitive, anywhere in it. */
  readonly q?: string;
  readonly status?: string;
}

export interface DirectoryRow {
  staff_id: string;
  agency: string;
  jurisdiction: string;
  institution: string;
  role: string;
  status: string;
  name: string;
  email: string;
  employee_ref: string;
  registered_at: Date;
  left_at: Date | null;
}

export const directorySortKey = (row: DirectoryRow): CursorKey => [row.name, row.staff_id];

/** `%`, `_` and `\` in a search are literal characters, not patterns. */
const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Searches the staff directory, by name then id. */
@Injectable()
export class StaffDirectoryQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async page(query: DirectoryQuery, after: CursorKey | undefined, limit: number): Promise<DirectoryRow[]> {
    const sql = new SqlConditions()
      .inScope('jurisdiction', query.scope)
      .equals('institution', query.institution)
      .equals('agency', query.agency)
      .equals('role', query.role)
      .equals('status', query.status);
    if (query.q !== undefined) {
      const pattern = sql.param(likePattern(query.q));
      sql.add(`(lower(name) LIKE ${pattern} OR lower(employee_ref) LIKE ${pattern})`);
    }
    sql.after(['name', 'staff_id'], after);
    return this.readModels.query(
      `SELECT * FROM ${STAFF_DIRECTORY_SCHEMA}.staff ${sql.where()}
       ORDER BY name, staff_id LIMIT ${sql.param(limit)}`,
      sql.params,
    );
  }
}
