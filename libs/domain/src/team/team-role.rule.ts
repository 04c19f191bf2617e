import type { Agency } from '../shared/agencies.js';
import {
  certificationsAt,
  changeInstants,
  distinctSorted,
  placementAt,
  type PersonHistory,
} from '../shared/person-history.js';
import { levelRank } from '../shared/levels.js';
import { evaluateQualification, type QualificationResult, type Violation } from '../shared/qualification.js';
import {
  adoptedVersionAt,
  requirementsInForce,
  type FrameworkDefinition,
  type JurisdictionRules,
  type RequirementInForce,
  type RequirementsInForce,
} from '../shared/requirements.js';
import { toMillis, type Instant } from '../shared/time.js';
import type { LapseCause, TeamKind } from './team.events.js';

/** Which agencies a kind of team admits (`null`: any, a multi-agency team). */
export const AGENCIES_ADMITTED: Readonly<Record<TeamKind, readonly Agency[] | null>> = {
  prison: ['prison'],
  probation: ['probation'],
  joint: ['prison', 'probation'],
  'multi-agency': null,
};

/**
 * A jurisdiction's rules with every framework version it adopted, so that a question about any
 * instant finds the version in force then (`adoptedVersionAt`).
 */
export interface TeamRules {
  readonly jurisdiction: JurisdictionRules;
  readonly frameworks: Readonly<Record<string, FrameworkDefinition>>;
}

/** The team role a person is judged against. */
export interface TeamRoleQuestion {
  readonly team: { readonly kind: TeamKind; readonly jurisdiction: string };
  readonly teamRole: string;
  readonly rules: TeamRules;
  /** The violations an approved override named: excused, and only those. */
  readonly excused?: readonly Violation[];
}

/** Why a person cannot serve in the role at all, whatever they hold. */
export interface Barrier {
  readonly kind:
    | 'not-registered'
    | 'left'
    | 'other-jurisdiction'
    | 'agency-not-admitted'
    | 'no-framework'
    | 'unknown-role';
  /** A sentence a manager can act on. */
  readonly reason: string;
}

export interface TeamRoleJudgement {
  readonly at: Instant;
  readonly qualified: boolean;
  readonly barrier: Barrier | null;
  /** The person's agency at `at` (what a joint team counts), if registered then. */
  readonly agency: Agency | null;
  readonly frameworkVersion: string | null;
  readonly requirementsVersion: string | null;
  readonly requirements: readonly RequirementInForce[];
  /** Every requirement in force with what met it or what was held instead (null behind a barrier). */
  readonly qualification: QualificationResult | null;
  /** Unmet requirements that no override excuses. */
  readonly unmet: readonly Violation[];
}

/**
 * THE qualification rule: whether `person` may serve in `question.teamRole` on the team at `at`.
 * Everything is read as it stood at `at`: the person's placement and status, every period of
 * every certification with its status then, the framework version the team's jurisdiction had
 * adopted then with its additions, the team's kind. Assignment, override, eligibility,
 * readiness, composition, declaring operational and the standing process all ask this function;
 * none decides a certificate's validity or a requirement on its own.
 */
export function judgeTeamRole(
  person: PersonHistory,
  question: TeamRoleQuestion,
  at: Instant,
): TeamRoleJudgement {
  return teamRoleJudge(question, at)(person);
}

/**
 * {@link judgeTeamRole} for many people asked the same question at the same instant (the
 * eligibility check judges a whole jurisdiction): what does not depend on the person — the
 * framework in force, whether it defines the role, the requirements in force — is worked out
 * once. `teamRoleJudge(question, at)(person)` is `judgeTeamRole(person, question, at)`.
 */
export function teamRoleJudge(
  question: TeamRoleQuestion,
  at: Instant,
): (person: PersonHistory) => TeamRoleJudgement {
  const { team, teamRole, rules } = question;
  const role = teamRoleInForce(question, at);
  const roleStanding:
    | { readonly inForce: RequirementsInForce }
    | { readonly barrier: Barrier; readonly frameworkVersion: string | null } =
    role.barrier === null
      ? { inForce: requirementsInForce(role.framework, rules.jurisdiction, teamRole, at) }
      : { barrier: role.barrier, frameworkVersion: role.framework?.version ?? null };
  const excused = question.excused ?? [];
  return (person) => {
    const placement = placementAt(person, at);
    const barred = (barrier: Barrier, frameworkVersion: string | null = null): TeamRoleJudgement => ({
      at,
      qualified: false,
      barrier,
      agency: placement?.agency ?? null,
      frameworkVersion,
      requirementsVersion: null,
      requirements: [],
      qualification: null,
      unmet: [],
    });
    if (!placement) return barred({ kind: 'not-registered', reason: 'they are not registered' });
    if (placement.status === 'left') return barred({ kind: 'left', reason: 'they have left the service' });
    if (placement.jurisdiction !== team.jurisdiction) {
      const reason = `they work in ${placement.jurisdiction}, not ${team.jurisdiction}`;
      return barred({ kind: 'other-jurisdiction', reason });
    }
    const admitted = AGENCIES_ADMITTED[team.kind];
    if (admitted && !admitted.includes(placement.agency)) {
      const reason = `a ${team.kind} team does not admit the ${placement.agency} agency`;
      return barred({ kind: 'agency-not-admitted', reason });
    }
    if ('barrier' in roleStanding) return barred(roleStanding.barrier, roleStanding.frameworkVersion);
    const { inForce } = roleStanding;
    const qualification = evaluateQualification(inForce.requirements, certificationsAt(person, at), at);
    const unmet = qualification.violations.filter((v) => !excused.some((e) => sameRequirement(e, v)));
    return {
      at,
      qualified: unmet.length === 0,
      barrier: null,
      agency: placement.agency,
      frameworkVersion: inForce.frameworkVersion,
      requirementsVersion: inForce.requirementsVersion,
      requirements: inForce.requirements,
      qualification,
      unmet,
    };
  };
}

/**
 * The rule's barriers that hold whoever the person: the framework version the team's jurisdiction
 * had adopted at `at`, and whether it defines `question.teamRole`. `judgeTeamRole` asks this after
 * the person's own barriers; a query about the role itself (eligibility) asks it first.
 */
export function teamRoleInForce(
  question: TeamRoleQuestion,
  at: Instant,
):
  | { readonly framework: FrameworkDefinition; readonly barrier: null }
  | { readonly framework: FrameworkDefinition | undefined; readonly barrier: Barrier } {
  const { team, teamRole, rules } = question;
  const version = adoptedVersionAt(rules.jurisdiction, at);
  const framework = version === undefined ? undefined : rules.frameworks[version];
  if (!framework) {
    const reason = `${team.jurisdiction} had not adopted a training framework on ${at}`;
    return { framework, barrier: { kind: 'no-framework', reason } };
  }
  if (!framework.roles[teamRole]) {
    const reason = `framework ${framework.version} defines no role "${teamRole}"`;
    return { framework, barrier: { kind: 'unknown-role', reason } };
  }
  return { framework, barrier: null };
}

/** One stretch of business time over which the rule's answer (qualified or not) stays the same. */
export interface StandingSegment {
  readonly from: Instant;
  readonly judgement: TeamRoleJudgement;
  /** The judgement just before this segment began (null for the first). */
  readonly before: TeamRoleJudgement | null;
}

/**
 * The rule's answer over `[from, to]`: it can only change where something in the person's
 * history or the jurisdiction's rules takes effect, so it is evaluated at those instants alone.
 * Segments alternate qualified / not qualified; the first starts at `from`.
 */
export function standingSegments(
  person: PersonHistory,
  question: TeamRoleQuestion,
  from: Instant,
  to: Instant,
): StandingSegment[] {
  const start = toMillis(from);
  const end = toMillis(to);
  const { jurisdiction } = question.rules;
  const instants = distinctSorted([
    from,
    ...changeInstants(person),
    ...jurisdiction.adoptions.map((a) => a.effectiveFrom),
    ...jurisdiction.additions.map((a) => a.effectiveFrom),
  ]).filter((instant) => toMillis(instant) >= start && toMillis(instant) <= end);
  const segments: StandingSegment[] = [];
  let previous: TeamRoleJudgement | null = null;
  for (const instant of instants) {
    const judgement = judgeTeamRole(person, question, instant);
    if (!previous || previous.qualified !== judgement.qualified)
      segments.push({ from: instant, judgement, before: previous });
    previous = judgement;
  }
  return segments;
}

/**
 * Why the answer became "not qualified": what stands in the way (departure, transfer, a role the
 * framework no longer defines), else a requirement newly in force, else the standing of the best
 * certification held for the first unmet requirement (expired, suspended, revoked, voided).
 */
export function lapseCause(judgement: TeamRoleJudgement, before: TeamRoleJudgement | null): LapseCause {
  switch (judgement.barrier?.kind) {
    case 'left':
    case 'not-registered':
      return 'left';
    case 'other-jurisdiction':
    case 'agency-not-admitted':
      return 'transferred';
    case 'unknown-role':
    case 'no-framework':
      return 'role-withdrawn';
    case undefined:
      break;
  }
  const [first] = judgement.unmet;
  const newlyRequired = judgement.unmet.find(
    (v) =>
      before !== null &&
      before.barrier === null &&
      !before.requirements.some(
        (r) => r.competency === v.competency && levelRank(r.minLevel) >= levelRank(v.requiredLevel),
      ),
  );
  if (newlyRequired || !first?.held) return 'requirement-added';
  switch (first.held.standing) {
    case 'suspended':
    case 'revoked':
    case 'voided':
      return first.held.standing;
    default:
      return 'expired';
  }
}

function sameRequirement(a: Violation, b: Violation): boolean {
  return a.role === b.role && a.competency === b.competency && a.requiredLevel === b.requiredLevel;
}
