import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  jurisdictionDecider,
  type FrameworkDefinition,
  type JurisdictionEvent,
  type JurisdictionRules,
  type PersonHistory,
  type RoleRequirement,
  type TeamKind,
  type TeamRules,
} from '@cadre/domain';
import { COVERAGE_SCHEMA, TEAM_COMPOSITION_SCHEMA, TEAM_LIST_SCHEMA } from '@cadre/projections';
import { READ_MODELS } from '@cadre/projections/nest';
import { visibleAt } from '../shared/index.js';

export interface EligibilityTeam {
  readonly jurisdiction: string;
  readonly kind: TeamKind;
}

/** A staff member of the jurisdiction as last known, with the history the rule judges. */
export interface Candidate {
  readonly staffId: string;
  readonly name: string;
  readonly institution: string;
  readonly agency: string;
  readonly role: string;
  readonly history: PersonHistory;
}

/**
 * What the eligibility check reads, all from read models as they stand now: the team (team list),
 * its current members (team composition), and from the coverage model the jurisdiction's rules
 * (FrameworkAdopted facts carry the adopted version's roles and requirements), the staff placed in
 * the jurisdiction with their whole history (the staff decider's own fold) and their names.
 */
@Injectable()
export class EligibilityReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async team(teamId: string): Promise<EligibilityTeam | undefined> {
    const rows: EligibilityTeam[] = await this.readModels.query(
      `SELECT jurisdiction, kind FROM ${TEAM_LIST_SCHEMA}.teams WHERE team_id = $1`,
      [teamId],
    );
    return rows[0];
  }

  /** Who serves on the team at `now`, as known now. */
  async members(teamId: string, now: Date): Promise<Set<string>> {
    const rows: { staff_id: string }[] = await this.readModels.query(
      `SELECT staff_id FROM ${TEAM_COMPOSITION_SCHEMA}.memberships
       WHERE entity = $1 AND ${visibleAt('', '$2', '$2')}`,
      [teamId, now],
    );
    return new Set(rows.map((row) => row.staff_id));
  }

  /**
   * The jurisdiction's rules with every framework version it adopted, as an assignment reads them
   * (`loadJurisdictionRules`): its facts folded by the jurisdiction decider in recording order.
   */
  async rules(jurisdiction: string): Promise<TeamRules> {
    const facts: { type: string; data: AdoptionData }[] = await this.readModels.query(
      `SELECT type, data FROM ${COVERAGE_SCHEMA}.jurisdiction_facts WHERE entity = $1 ORDER BY seq`,
      [jurisdiction],
    );
    return teamRulesOf(jurisdiction, facts);
  }

  /** The staff who stand in the jurisdiction and have not left, as last known. */
  async candidates(jurisdiction: string): Promise<Candidate[]> {
    const rows: {
      staff_id: string;
      name: string;
      institution: string;
      agency: string;
      role: string;
      history: PersonHistory;
    }[] = await this.readModels.query(
      `SELECT p.entity AS staff_id, coalesce(n.name, 'erased') AS name, p.institution, p.agency, p.role, p.history
       FROM ${COVERAGE_SCHEMA}.person_histories p
       LEFT JOIN ${COVERAGE_SCHEMA}.names n ON n.staff_id = p.entity
       WHERE p.jurisdiction = $1 AND p.status = 'active' AND p.superseded_at IS NULL`,
      [jurisdiction],
    );
    return rows.map((row) => ({
      staffId: row.staff_id,
      name: row.name,
      institution: row.institution,
      agency: row.agency,
      role: row.role,
      history: row.history,
    }));
  }
}

/** A jurisdiction fact's data; an adoption's carries the version's roles and requirements. */
type AdoptionData = Record<string, unknown> & {
  readonly version?: string;
  readonly roles?: FrameworkDefinition['roles'];
  readonly requirements?: readonly RoleRequirement[];
};

export function teamRulesOf(code: string, facts: readonly { type: string; data: AdoptionData }[]): TeamRules {
  const state = facts.reduce(
    (s, fact) => jurisdictionDecider.evolve(s, { type: fact.type, data: fact.data } as JurisdictionEvent),
    jurisdictionDecider.initialState(),
  );
  const jurisdiction: JurisdictionRules =
    state.status === 'active' ? state : { code, adoptions: [], additions: [] };
  const frameworks: Record<string, FrameworkDefinition> = {};
  for (const { type, data } of facts) {
    if (type !== 'FrameworkAdopted' || data.version === undefined) continue;
    // The rule reads roles and requirements; competencies' validity matters only to awards.
    frameworks[data.version] = {
      version: data.version,
      roles: data.roles ?? {},
      competencies: {},
      requirements: data.requirements ?? [],
    };
  }
  return { jurisdiction, frameworks };
}
