import { DomainRuleError } from './domain-errors.js';
import { levelRank, type Level } from './levels.js';
import { toMillis, type Instant } from './time.js';
import type { CompetencyLevels } from './validity.js';

/** The role whose requirements apply to every staff member on top of their own role's. */
export const ALL_STAFF_ROLE = 'all-staff';

export interface RoleRequirement {
  readonly role: string;
  readonly competency: string;
  readonly minLevel: Level;
}

/** What `requirementsInForce` reads of a framework version (the framework decider's state fits). */
export interface FrameworkDefinition {
  readonly version: string;
  readonly roles: Readonly<Record<string, { readonly title: string }>>;
  readonly competencies: Readonly<
    Record<string, { readonly title: string; readonly levels: CompetencyLevels }>
  >;
  readonly requirements: readonly RoleRequirement[];
}

export interface FrameworkAdoption {
  readonly version: string;
  readonly effectiveFrom: Instant;
}

export interface JurisdictionAddition extends RoleRequirement {
  readonly effectiveFrom: Instant;
}

/** What `requirementsInForce` reads of a jurisdiction (the jurisdiction decider's state fits). */
export interface JurisdictionRules {
  readonly code: string;
  readonly adoptions: readonly FrameworkAdoption[];
  readonly additions: readonly JurisdictionAddition[];
}

export interface RequirementInForce extends RoleRequirement {
  /** Where it comes from: the regional framework version or the jurisdiction's own addition. */
  readonly source: 'framework' | 'jurisdiction';
}

export interface RequirementsInForce {
  readonly frameworkVersion: string;
  /** Identifies the rule set applied: the framework version and the jurisdiction additions counted. */
  readonly requirementsVersion: string;
  readonly requirements: readonly RequirementInForce[];
}

/** The framework version a jurisdiction had adopted at `date`, if any. */
export function adoptedVersionAt(jurisdiction: JurisdictionRules, date: Instant): string | undefined {
  const at = toMillis(date);
  return [...jurisdiction.adoptions]
    .filter((adoption) => toMillis(adoption.effectiveFrom) <= at)
    .sort((a, b) => toMillis(a.effectiveFrom) - toMillis(b.effectiveFrom))
    .at(-1)?.version;
}

/**
 * The requirements a person in `role` must meet at `date`: the adopted framework version's
 * requirements for that role and for `all-staff`, plus the jurisdiction's additions in force. Where
 * two name the same role and competency the stricter level stands, so an addition can raise a
 * requirement but never lower one. `framework` must be the version adopted at `date`.
 */
export function requirementsInForce(
  framework: FrameworkDefinition,
  jurisdiction: JurisdictionRules,
  role: string,
  date: Instant,
): RequirementsInForce {
  const adopted = adoptedVersionAt(jurisdiction, date);
  if (adopted === undefined) {
    throw new DomainRuleError(
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
      `${jurisdiction.code} had not adopted a training framework on ${date}, so no requirements can be checked.`,
      { jurisdiction: jurisdiction.code, date },
    );
  }
  if (adopted !== framework.version) {
    throw new Error(
      `requirementsInForce needs framework ${adopted} (adopted by ${jurisdiction.code}), got ${framework.version}.`,
    );
  }
  const applies = (requirement: RoleRequirement) =>
    requirement.role === role || requirement.role === ALL_STAFF_ROLE;
  const at = toMillis(date);
  const additions = jurisdiction.additions.filter((addition) => toMillis(addition.effectiveFrom) <= at);
  const candidates: RequirementInForce[] = [
    ...framework.requirements.filter(applies).map((r) => ({ ...pick(r), source: 'framework' as const })),
    ...additions.filter(applies).map((r) => ({ ...pick(r), source: 'jurisdiction' as const })),
  ];
  const strictest = new Map<string, RequirementInForce>();
  for (const requirement of candidates) {
    const key = `${requirement.role}\u0000${requirement.competency}`;
    const current = strictest.get(key);
    if (!current || levelRank(requirement.minLevel) > levelRank(current.minLevel))
      strictest.set(key, requirement);
  }
  return {
    frameworkVersion: framework.version,
    requirementsVersion: `${framework.version}+${jurisdiction.code}.${additions.length}`,
    requirements: [...strictest.values()],
  };
}

function pick({ role, competency, minLevel }: RoleRequirement): RoleRequirement {
  return { role, competency, minLevel };
}
