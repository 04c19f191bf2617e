import {
  judgeTeamRole,
  type Barrier,
  type Instant,
  type TeamRoleJudgement,
  type TeamRoleQuestion,
  type Violation,
} from '@cadre/domain';
import { encodeCursor, type CursorKey, type Page } from '../shared/index.js';
import type { Candidate } from './eligibility.query.js';

export interface EligibleStaffItem {
  readonly staffId: string;
  readonly name: string;
  readonly institution: string;
  readonly agency: string;
  readonly role: string;
  /** Could be assigned now: the rule says qualified and they do not serve on the team already. */
  readonly eligible: boolean;
  /** The rule's answer alone (for a current member: whether they still meet the role). */
  readonly qualified: boolean;
  readonly currentMember: boolean;
  /** What stands in the way whatever they hold (left, elsewhere, an agency the team does not admit). */
  readonly barrier: Barrier | null;
  /** The requirements in force they do not meet. */
  readonly violations: readonly Violation[];
  readonly meets: readonly {
    role: string;
    competency: string;
    minLevel: string;
    certificationId: string;
    level: string;
    validUntil: string;
  }[];
}

export interface EligibleStaffRequest {
  readonly question: TeamRoleQuestion;
  readonly at: Instant;
  readonly candidates: readonly Candidate[];
  readonly members: ReadonlySet<string>;
  readonly onlyEligible: boolean;
  readonly after: CursorKey | undefined;
  readonly limit: number;
}

const names = new Intl.Collator('en', { sensitivity: 'variant' });

/** The page order, eligible first, then by name, then by staff id: a total order. */
export function compareKeys(a: CursorKey, b: CursorKey): number {
  return (
    Number(a[0]) - Number(b[0]) ||
    names.compare(String(a[1]), String(b[1])) ||
    (String(a[2]) < String(b[2]) ? -1 : String(a[2]) > String(b[2]) ? 1 : 0)
  );
}

/**
 * Judges every candidate with the one rule (`judgeTeamRole`) at `at`, then sorts and pages. The
 * whole jurisdiction is judged on every call — eligibility changes by the clock — so the cursor
 * is a position in the order (the last item's key), not an offset: a page starts after it.
 */
export function eligibleStaffPage(request: EligibleStaffRequest): Page<EligibleStaffItem> {
  const judged: { key: CursorKey; candidate: Candidate; judgement: TeamRoleJudgement }[] = [];
  for (const candidate of request.candidates) {
    const judgement = judgeTeamRole(candidate.history, request.question, request.at);
    const eligible = judgement.qualified && !request.members.has(candidate.staffId);
    if (request.onlyEligible && !eligible) continue;
    const key: CursorKey = [eligible ? 0 : 1, candidate.name, candidate.staffId];
    if (request.after && compareKeys(key, request.after) <= 0) continue;
    judged.push({ key, candidate, judgement });
  }
  judged.sort((a, b) => compareKeys(a.key, b.key));
  const kept = judged.slice(0, request.limit);
  const last = kept.at(-1);
  return {
    items: kept.map(({ candidate, judgement }) => itemOf(candidate, judgement, request.members)),
    nextCursor: judged.length > request.limit && last ? encodeCursor(last.key) : null,
  };
}

function itemOf(
  candidate: Candidate,
  judgement: TeamRoleJudgement,
  members: ReadonlySet<string>,
): EligibleStaffItem {
  const currentMember = members.has(candidate.staffId);
  return {
    staffId: candidate.staffId,
    name: candidate.name,
    institution: candidate.institution,
    agency: candidate.agency,
    role: candidate.role,
    eligible: judgement.qualified && !currentMember,
    qualified: judgement.qualified,
    currentMember,
    barrier: judgement.barrier,
    violations: judgement.unmet,
    meets: (judgement.qualification?.results ?? []).flatMap((r) =>
      r.met
        ? [
            {
              ...r.requirement,
              certificationId: r.metBy.certificationId,
              level: r.metBy.level,
              validUntil: r.metBy.validUntil,
            },
          ]
        : [],
    ),
  };
}
