import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TRAINER_REGISTRY_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import {
  SqlConditions,
  visibleAt,
  type CursorKey,
  type PointInTime,
  type ReadFilters,
} from '../shared/index.js';

const S = TRAINER_REGISTRY_SCHEMA;

export interface TrainerRegistryQuery extends PointInTime, Omit<ReadFilters, 'role'> {
  readonly scope: readonly string[] | null;
}

export interface TrainerRow {
  staff_id: string;
  name: string | null;
  agency: string;
  jurisdiction: string;
  institution: string;
}

export interface AccreditationRow {
  staff_id: string;
  certification_id: string;
  competency: string;
  status: string;
  certified_from: Date;
  certified_until: Date;
}

export interface DeliveryRow {
  session_id: string;
  programme_id: string;
  starts_at: Date;
  ends_at: Date;
  jurisdictions: string[];
  trainers: string[];
  status: string;
}

/** A trainer with their accreditations and the sessions they delivered, at the point in time. */
export interface TrainerEntry extends TrainerRow {
  accreditations: AccreditationRow[];
  sessions: DeliveryRow[];
}

export const trainerSortKey = (row: { staff_id: string }): CursorKey => [row.staff_id];

/** Reads the trainer registry at `(asOf, knownAt)`: three statements per page, never per trainer. */
@Injectable()
export class TrainerRegistryReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: Pick<DataSource, 'query'>) {}

  async page(
    query: TrainerRegistryQuery,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<TrainerEntry[]> {
    const sql = new SqlConditions();
    const asOf = sql.param(query.asOf);
    const knownAt = sql.param(query.knownAt);
    sql
      .add(visibleAt('c', asOf, knownAt))
      .add(visibleAt('m', asOf, knownAt))
      .add(`c.level = 'trainer'`)
      .inScope('m.jurisdiction', query.scope)
      .equals('m.institution', query.institution)
      .equals('m.agency', query.agency)
      .equals('c.competency', query.competency)
      .after(['c.staff_id'], after);
    const trainers: TrainerRow[] = await this.readModels.query(
      `SELECT DISTINCT c.staff_id, n.name, m.agency, m.jurisdiction, m.institution
         FROM ${S}.certifications c
         JOIN ${S}.members m ON m.staff_id = c.staff_id
         LEFT JOIN ${S}.names n ON n.staff_id = c.staff_id
        ${sql.where()}
        ORDER BY c.staff_id LIMIT ${sql.param(limit)}`,
      sql.params,
    );
    if (trainers.length === 0) return [];
    const ids = trainers.map((t) => t.staff_id);
    const point = [ids, query.asOf, query.knownAt];
    const accreditations: AccreditationRow[] = await this.readModels.query(
      `SELECT c.staff_id, c.certification_id, c.competency, c.status, c.certified_from, c.certified_until
         FROM ${S}.certifications c
        WHERE c.staff_id = ANY($1::text[]) AND c.level = 'trainer' AND ${visibleAt('c', '$2', '$3')}
        ORDER BY c.staff_id, c.competency, c.certification_id`,
      point,
    );
    const sessions: DeliveryRow[] = await this.readModels.query(
      `SELECT s.session_id, s.programme_id, s.starts_at, s.ends_at, s.jurisdictions, s.trainers, s.status
         FROM ${S}.sessions s
        WHERE s.trainers && $1::text[] AND ${visibleAt('s', '$2', '$3')}
        ORDER BY s.starts_at, s.session_id`,
      point,
    );
    return trainers.map((trainer) => ({
      ...trainer,
      accreditations: accreditations.filter((a) => a.staff_id === trainer.staff_id),
      sessions: sessions.filter((s) => s.trainers.includes(trainer.staff_id)),
    }));
  }
}
