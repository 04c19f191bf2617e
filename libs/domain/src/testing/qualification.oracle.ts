/**
 * An independent oracle of DOMAIN.md's qualification rule, for model-based tests: written from
 * the document, in plain code over plain facts, and on purpose sharing nothing with the rule under
 * test (`judgeTeamRole` and what it calls). Times are epoch milliseconds; facts are listed in log
 * order, each effective from its business time `at`.
 */

const LEVEL_ORDER = ['awareness', 'specialised', 'expert', 'trainer'];
const EVERYONE = 'all-staff';

/** Team kind → agencies it admits; a multi-agency team admits any. */
const ADMITS: Record<string, readonly string[] | 'any'> = {
  prison: ['prison'],
  probation: ['probation'],
  joint: ['prison', 'probation'],
  'multi-agency': 'any',
};

export interface OracleRequirement {
  readonly role: string;
  readonly competency: string;
  readonly level: string;
}

export interface OracleVersion {
  readonly roles: readonly string[];
  readonly requirements: readonly OracleRequirement[];
}

/** What the regional framework and the jurisdiction decided, in log order. */
export type RuleFact =
  | { readonly kind: 'adopted'; readonly version: string; readonly at: number }
  | ({ readonly kind: 'added'; readonly at: number } & OracleRequirement);

/** What happened to the person, in log order. */
export type PersonFact =
  | {
      readonly kind: 'registered';
      readonly at: number;
      readonly agency: string;
      readonly jurisdiction: string;
    }
  | {
      readonly kind: 'transferred';
      readonly at: number;
      readonly agency: string;
      readonly jurisdiction: string;
    }
  | { readonly kind: 'left'; readonly at: number }
  | {
      readonly kind: 'awarded';
      readonly certificationId: string;
      readonly competency: string;
      readonly level: string;
      readonly validFrom: number;
      readonly validUntil: number;
    }
  | {
      readonly kind: 'renewed';
      readonly certificationId: string;
      readonly validFrom: number;
      readonly validUntil: number;
    }
  | {
      readonly kind: 'suspended' | 'reinstated' | 'revoked';
      readonly certificationId: string;
      readonly at: number;
    }
  /** `period` 0 is the award (the whole certification never counted), n the n-th renewal. */
  | { readonly kind: 'voided'; readonly certificationId: string; readonly period: number };

export interface OracleQuestion {
  readonly teamKind: string;
  readonly teamJurisdiction: string;
  readonly teamRole: string;
  /** The violations named when an override was approved: these, and only these, are excused. */
  readonly excused: readonly OracleRequirement[];
}

export interface OracleAnswer {
  readonly qualified: boolean;
  /** Why not, whatever the certifications (departure, elsewhere, an agency not admitted, …). */
  readonly barrier: string | null;
  /** Where the person worked at that instant (null before registration). */
  readonly agency: string | null;
  /** Requirements in force not met at that instant, excused or not. */
  readonly unmet: readonly OracleRequirement[];
}

const rank = (level: string) => LEVEL_ORDER.indexOf(level);

/** The one answer: may this person serve in the team role at instant `t`? */
export function oracleJudge(
  versions: Readonly<Record<string, OracleVersion>>,
  rules: readonly RuleFact[],
  person: readonly PersonFact[],
  question: OracleQuestion,
  t: number,
): OracleAnswer {
  const place = whereAt(person, t);
  const no = (barrier: string): OracleAnswer => ({
    qualified: false,
    barrier,
    agency: place?.agency ?? null,
    unmet: [],
  });
  if (!place) return no('not registered yet');
  if (person.some((f) => f.kind === 'left' && f.at <= t)) return no('left the service');
  if (place.jurisdiction !== question.teamJurisdiction) return no('works in another jurisdiction');
  const admitted = ADMITS[question.teamKind];
  if (admitted !== 'any' && !admitted?.includes(place.agency)) return no('agency not admitted');
  const versionName = versionAt(rules, t);
  const version = versionName === null ? undefined : versions[versionName];
  if (!version) return no('no framework adopted');
  if (!version.roles.includes(question.teamRole)) return no('role not defined by the version in force');

  // The version's requirements for the role and for everyone, plus the additions in force; for
  // one role and competency the stricter level stands.
  const applies = (r: OracleRequirement) => r.role === question.teamRole || r.role === EVERYONE;
  const candidates = [
    ...version.requirements.filter(applies),
    ...rules.flatMap((f) => (f.kind === 'added' && f.at <= t && applies(f) ? [f] : [])),
  ];
  const strictest: OracleRequirement[] = [];
  for (const c of candidates) {
    const i = strictest.findIndex((s) => s.role === c.role && s.competency === c.competency);
    const requirement = { role: c.role, competency: c.competency, level: c.level };
    if (i < 0) strictest.push(requirement);
    else if (rank(c.level) > rank(strictest[i]!.level)) strictest[i] = requirement;
  }
  const unmet = strictest.filter((r) => !certifiedAt(person, r.competency, r.level, t));
  const excused = (r: OracleRequirement) =>
    question.excused.some((e) => e.role === r.role && e.competency === r.competency && e.level === r.level);
  return { qualified: unmet.every(excused), barrier: null, agency: place.agency, unmet };
}

/**
 * The registration or transfer that took effect last by `t` (of two at once, the later recorded);
 * before the registration, the registration itself (decision 0010: it says who someone is, not
 * when they started).
 */
function whereAt(person: readonly PersonFact[], t: number) {
  let found: { at: number; agency: string; jurisdiction: string } | null = null;
  for (const f of person)
    if ((f.kind === 'registered' || f.kind === 'transferred') && f.at <= t && (!found || f.at >= found.at))
      found = f;
  return found ?? person.find((f) => f.kind === 'registered') ?? null;
}

/** The version whose adoption took effect last by `t` (of two at once, the later recorded). */
function versionAt(rules: readonly RuleFact[], t: number): string | null {
  let found: { at: number; version: string } | null = null;
  for (const f of rules) if (f.kind === 'adopted' && f.at <= t && (!found || f.at >= found.at)) found = f;
  return found?.version ?? null;
}

/**
 * Whether a certification of `competency` at `level` or above counts at `t`: not voided, not
 * revoked by then, not suspended then (the last suspension or reinstatement by `t` decides), and
 * one of its periods, not voided, runs over `t` (validFrom ≤ t < validUntil, by the clock).
 */
function certifiedAt(person: readonly PersonFact[], competency: string, level: string, t: number): boolean {
  return person.some((award) => {
    if (award.kind !== 'awarded' || award.competency !== competency || rank(award.level) < rank(level))
      return false;
    const id = award.certificationId;
    const about = person.filter((f) => 'certificationId' in f && f.certificationId === id);
    const voided = new Set(about.flatMap((f) => (f.kind === 'voided' ? [f.period] : [])));
    if (voided.has(0)) return false;
    if (about.some((f) => f.kind === 'revoked' && f.at <= t)) return false;
    let suspended = false;
    let lastChange = -Infinity;
    for (const f of about)
      if ((f.kind === 'suspended' || f.kind === 'reinstated') && f.at <= t && f.at >= lastChange) {
        suspended = f.kind === 'suspended';
        lastChange = f.at;
      }
    if (suspended) return false;
    const periods = about.filter((f) => f.kind === 'awarded' || f.kind === 'renewed');
    return periods.some((p, n) => !voided.has(n) && p.validFrom <= t && t < p.validUntil);
  });
}
