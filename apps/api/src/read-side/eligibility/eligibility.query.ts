import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type {
  CertificationStatus,
  CertificationView,
  FrameworkDefinition,
  JurisdictionRules,
  Level,
} from '@cadre/domain';
import { COVERAGE_SCHEMA, TEAM_LIST_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import { visibleAt, type CursorKey } from '../shared/index.js';

export interface Candidate {
  readonly staffId: string;
  readonly institution: string;
  readonly agency: string;
  readonly role: string;
}

/**
 * What the eligibility check reads, all from read models as they stand now: the team, the
 * jurisdiction's rules and the framework requirements (coverage model), the active staff of the
 * jurisdiction and their certification records.
 */
@Injectable()
export class EligibilityReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async team(teamId: string): Promise<{ jurisdiction: string; status: string } | undefined> {
    const rows: { jurisdiction: string; status: string }[] = await this.readModels.query(
      `SELECT jurisdiction, status FROM ${TEAM_LIST_SCHEMA}.teams WHERE team_id = $1`,
      [teamId],
    );
    return rows[0];
  }

  /** The jurisdiction's adoptions and additions as recorded (FrameworkAdopted facts carry the requirements). */
  async rules(
    jurisdiction: string,
  ): Promise<{ rules: JurisdictionRules; frameworks: Map<string, FrameworkDefinition> }> {
    const facts: { type: string; data: Record<string, unknown> }[] = await this.readModels.query(
      `SELECT type, data FROM ${COVERAGE_SCHEMA}.jurisdiction_facts WHERE entity = $1 ORDER BY seq`,
      [jurisdiction],
    );
    const frameworks = new Map<string, FrameworkDefinition>();
    const rules: JurisdictionRules = {
      code: jurisdiction,
      adoptions: facts
        .filter((f) => f.type === 'FrameworkAdopted')
        .map((f) => {
          const version = String(f.data.version);
          frameworks.set(version, {
            version,
            roles: {},
            competencies: {},
            requirements: (f.data.requirements ?? []) as FrameworkDefinition['requirements'],
          });
          return { version, effectiveFrom: String(f.data.effectiveFrom) };
        }),
      additions: facts
        .filter((f) => f.type === 'JurisdictionRequirementAdded')
        .map((f) => ({
          role: String(f.data.role),
          competency: String(f.data.competency),
          minLevel: f.data.minLevel as Level,
          effectiveFrom: String(f.data.effectiveFrom),
        })),
    };
    return { rules, frameworks };
  }

  /** The staff placed in the jurisdiction now, by id, a page at a time. */
  async candidates(
    jurisdiction: string,
    now: Date,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<Candidate[]> {
    const rows: { entity: string; institution: string; agency: string; role: string }[] =
      await this.readModels.query(
        `SELECT p.entity, p.institution, p.agency, p.role FROM ${COVERAGE_SCHEMA}.placements p
       WHERE ${visibleAt('p', '$1', '$1')} AND p.jurisdiction = $2 AND ($3::text IS NULL OR p.entity > $3)
       ORDER BY p.entity LIMIT $4`,
        [now, jurisdiction, after?.[0] ?? null, limit],
      );
    return rows.map((row) => ({
      staffId: row.entity,
      institution: row.institution,
      agency: row.agency,
      role: row.role,
    }));
  }

  async certifications(staffIds: readonly string[]): Promise<Map<string, CertificationView[]>> {
    const rows: {
      entity: string;
      certification_id: string;
      competency: string;
      level: Level;
      period_from: Date;
      period_until: Date;
      status: CertificationStatus;
    }[] = await this.readModels.query(
      `SELECT entity, certification_id, competency, level, period_from, period_until, status
       FROM ${COVERAGE_SCHEMA}.certification_records WHERE entity = ANY($1::text[]) AND superseded_at IS NULL`,
      [staffIds],
    );
    const byStaff = new Map<string, CertificationView[]>();
    for (const row of rows) {
      const list = byStaff.get(row.entity) ?? [];
      list.push({
        certificationId: row.certification_id,
        competency: row.competency,
        level: row.level,
        validFrom: row.period_from.toISOString(),
        validUntil: row.period_until.toISOString(),
        status: row.status,
      });
      byStaff.set(row.entity, list);
    }
    return byStaff;
  }
}
