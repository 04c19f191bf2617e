import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TEAM_COMPOSITION_SCHEMA } from './team-composition.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { visibleAt, type PointInTime } from '../queries/index.js';

const S = TEAM_COMPOSITION_SCHEMA;

export interface TeamRow {
  name: string;
  jurisdiction: string;
  kind: string;
  required_disciplines: { role: string; minCount: number }[];
  status: string;
  valid_from: Date;
}
export interface MemberRow {
  staff_id: string;
  team_role: string;
  agency: string;
  by_override: boolean;
  valid_from: Date;
}
export interface CompositionLapseRow {
  staff_id: string;
  certification_id: string;
  cause: string;
  valid_from: Date;
  valid_to: Date | null;
}

/** Reads a team's composition histories at `(asOf, knownAt)`. */
@Injectable()
export class TeamCompositionReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /** The team's jurisdiction as last recorded, or undefined for a team Cadre never heard of. */
  async jurisdictionOf(teamId: string): Promise<string | undefined> {
    const rows: { jurisdiction: string }[] = await this.readModels.query(
      `SELECT data->>'jurisdiction' AS jurisdiction FROM ${S}.team_facts WHERE entity = $1 AND type = 'TeamFormed' LIMIT 1`,
      [teamId],
    );
    return rows[0]?.jurisdiction;
  }

  async team(teamId: string, at: PointInTime): Promise<TeamRow | undefined> {
    const rows: TeamRow[] = await this.readModels.query(
      `SELECT * FROM ${S}.teams t WHERE t.entity = $1 AND ${visibleAt('t', '$2', '$3')}`,
      [teamId, at.asOf, at.knownAt],
    );
    return rows[0];
  }

  members(teamId: string, at: PointInTime): Promise<MemberRow[]> {
    return this.readModels.query(
      `SELECT * FROM ${S}.memberships m WHERE m.entity = $1 AND ${visibleAt('m', '$2', '$3')}
       ORDER BY m.valid_from, m.staff_id`,
      [teamId, at.asOf, at.knownAt],
    );
  }

  /** Every lapse begun by `asOf`, as known at `knownAt` (ongoing or ended), for "for how long". */
  lapses(teamId: string, at: PointInTime): Promise<CompositionLapseRow[]> {
    return this.readModels.query(
      `SELECT * FROM ${S}.lapses l WHERE l.entity = $1 AND l.valid_from <= $2
         AND l.recorded_at <= $3 AND (l.superseded_at IS NULL OR l.superseded_at > $3)
       ORDER BY l.valid_from, l.staff_id, l.certification_id`,
      [teamId, at.asOf, at.knownAt],
    );
  }
}
