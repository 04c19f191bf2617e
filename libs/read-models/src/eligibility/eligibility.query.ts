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
import { COVERAGE_SCHEMA } from '../requirement-coverage/coverage.projection.js';
import { TEAM_COMPOSITION_SCHEMA } from '../team-composition/team-composition.projection.js';
import { TEAM_LIST_SCHEMA } from '../team-list/team-list.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { visibleAt } from '../queries/index.js';

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
  /** About 30,000 people's histories (a few kB each): a few large jurisdictions. */
  private readonly histories = new HistoryCache(30_000);

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

  /**
   * The staff who stand in the jurisdiction and have not left, as last known. Their histories are
   * kept in memory by row fingerprint (the fingerprint is of the row's content, and changes with
   * it): a call reads the rows' keys, and the histories of the changed ones only.
   */
  async candidates(jurisdiction: string): Promise<Candidate[]> {
    const rows: {
      staff_id: string;
      fingerprint: string;
      name: string;
      institution: string;
      agency: string;
      role: string;
    }[] = await this.readModels.query(
      `SELECT p.entity AS staff_id, p.fingerprint, coalesce(n.name, 'erased') AS name, p.institution, p.agency, p.role
       FROM ${COVERAGE_SCHEMA}.person_histories p
       LEFT JOIN ${COVERAGE_SCHEMA}.names n ON n.staff_id = p.entity
       WHERE p.jurisdiction = $1 AND p.status = 'active'`,
      [jurisdiction],
    );
    const missing = rows.filter((row) => !this.histories.get(row.staff_id, row.fingerprint));
    if (missing.length > 0) {
      const read: { staff_id: string; fingerprint: string; history: PersonHistory }[] =
        await this.readModels.query(
          `SELECT entity AS staff_id, fingerprint, history FROM ${COVERAGE_SCHEMA}.person_histories
           WHERE entity = ANY($1::text[])`,
          [missing.map((row) => row.staff_id)],
        );
      for (const row of read) this.histories.set(row.staff_id, row.fingerprint, row.history);
    }
    return rows.flatMap((row) => {
      const history = this.histories.get(row.staff_id, row.fingerprint);
      // Changed between the two reads: left out of this answer, in the next one.
      if (!history) return [];
      const { staff_id: staffId, name, institution, agency, role } = row;
      return [{ staffId, name, institution, agency, role, history }];
    });
  }
}

/** The histories last read, by staff id and row fingerprint; the least recently read go first. */
class HistoryCache {
  private readonly entries = new Map<string, { fingerprint: string; history: PersonHistory }>();
  constructor(private readonly capacity: number) {}

  get(staffId: string, fingerprint: string): PersonHistory | undefined {
    const entry = this.entries.get(staffId);
    if (entry?.fingerprint !== fingerprint) return undefined;
    this.entries.delete(staffId);
    this.entries.set(staffId, entry);
    return entry.history;
  }

  set(staffId: string, fingerprint: string, history: PersonHistory): void {
    this.entries.delete(staffId);
    this.entries.set(staffId, { fingerprint, history });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
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
