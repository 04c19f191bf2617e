import {
  requirementsInForce,
  teamRoleInForce,
  teamRoleJudge,
  teamRoleRefusal,
  type Barrier,
  type Instant,
  type TeamRoleJudgement,
  type TeamRoleQuestion,
  type Violation,
} from '@cadre/domain';
import { encodeCursor, type CursorKey, type Page } from '../queries/index.js';
import type { Candidate, EligibilityReadQuery, EligibilityTeam } from './eligibility.query.js';

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

export interface EligibleStaffAnswer extends Page<EligibleStaffItem> {
  readonly teamRole: string;
  readonly requirementsVersion: string;
}

/**
 * The eligibility check of one team (found, and in the caller's scope) at `now`: reads the
 * jurisdiction's rules, the team's members and the jurisdiction's staff, refuses a team role the
 * framework in force does not define as an assignment does, and judges everyone.
 */
export async function eligibleStaff(
  read: EligibilityReadQuery,
  teamId: string,
  team: EligibilityTeam,
  ask: { teamRole: string; onlyEligible: boolean; after: CursorKey | undefined; limit: number },
  now: Date,
): Promise<EligibleStaffAnswer> {
  const at = now.toISOString();
  const { teamRole } = ask;
  const [rules, members, candidates] = await Promise.all([
    read.rules(team.jurisdiction),
    read.members(teamId, now),
    read.candidates(team.jurisdiction),
  ]);
  const question = { team, teamRole, rules };
  const role = teamRoleInForce(question, at);
  if (role.barrier) {
    const version = role.framework?.version ?? null;
    throw teamRoleRefusal(team, teamRole, role.barrier, version, at) ?? new Error(role.barrier.reason);
  }
  const page = eligibleStaffPage({ ...ask, question, at, candidates, members });
  const { requirementsVersion } = requirementsInForce(role.framework, rules.jurisdiction, teamRole, at);
  return { teamRole, requirementsVersion, ...page };
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
 * Judges every candidate with the one rule (`judgeTeamRole`, asked as `teamRoleJudge` so that
 * what all share is worked out once) at `at`, then sorts and pages. The whole jurisdiction is judged on every call — eligibility changes by the clock — so the cursor
 * is a position in the order (the last item's key), not an offset: a page starts after it.
 */
export function eligibleStaffPage(request: EligibleStaffRequest): Page<EligibleStaffItem> {
  const firstOnes = new FirstByKey<{ key: CursorKey; candidate: Candidate; judgement: TeamRoleJudgement }>(
    request.limit + 1,
  );
  const judge = teamRoleJudge(request.question, request.at);
  for (const candidate of request.candidates) {
    const judgement = judge(candidate.history);
    const eligible = judgement.qualified && !request.members.has(candidate.staffId);
    if (request.onlyEligible && !eligible) continue;
    const key: CursorKey = [eligible ? 0 : 1, candidate.name, candidate.staffId];
    if (request.after && compareKeys(key, request.after) <= 0) continue;
    firstOnes.offer({ key, candidate, judgement });
  }
  const judged = firstOnes.sorted();
  const kept = judged.slice(0, request.limit);
  const last = kept.at(-1);
  return {
    items: kept.map(({ candidate, judgement }) => itemOf(candidate, judgement, request.members)),
    nextCursor: judged.length > request.limit && last ? encodeCursor(last.key) : null,
  };
}

/**
 * The `size` smallest entries by key, kept sorted as they are offered: a page needs the first
 * `limit + 1` of thousands, and most candidates are turned away by one comparison with the last.
 */
class FirstByKey<Entry extends { readonly key: CursorKey }> {
  private readonly entries: Entry[] = [];
  constructor(private readonly size: number) {}

  offer(entry: Entry): void {
    const { entries } = this;
    const last = entries.at(-1);
    if (entries.length === this.size && last && compareKeys(entry.key, last.key) >= 0) return;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(entries[middle]!.key, entry.key) <= 0) low = middle + 1;
      else high = middle;
    }
    entries.splice(low, 0, entry);
    if (entries.length > this.size) entries.pop();
  }

  sorted(): readonly Entry[] {
    return this.entries;
  }
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
