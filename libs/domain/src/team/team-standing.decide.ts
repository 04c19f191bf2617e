import type { Agency } from '../shared/agencies.js';
import type { PersonHistory } from '../shared/person-history.js';
import { toMillis, type Instant } from '../shared/time.js';
import type { MemberLapsed, MemberRequalified } from './team.events.js';
import { readiness, type Member, type TeamRecord } from './team.state.js';
import {
  judgeTeamRole,
  lapseCause,
  standingSegments,
  type TeamRoleJudgement,
  type TeamRoleQuestion,
  type TeamRules,
} from './team-role.rule.js';

/** The question a member's standing answers: their team role, on this team, with their override. */
export function memberQuestion(team: TeamRecord, member: Member, rules: TeamRules): TeamRoleQuestion {
  return {
    team,
    teamRole: member.teamRole,
    rules,
    excused: member.override?.violations ?? [],
  };
}

/** A member judged by the one rule at `at` (a member whose history is missing is not qualified). */
export function judgeMember(
  team: TeamRecord,
  member: Member,
  person: PersonHistory | undefined,
  rules: TeamRules,
  at: Instant,
): TeamRoleJudgement | null {
  return person ? judgeTeamRole(person, memberQuestion(team, member, rules), at) : null;
}

/** Readiness by the clock: only members the rule finds qualified at `at` count, with their agency then. */
export function readinessAt(
  team: TeamRecord,
  persons: Readonly<Record<string, PersonHistory>>,
  rules: TeamRules,
  at: Instant,
) {
  return readiness(team, (member) => {
    const judgement = judgeMember(team, member, persons[member.staffId], rules, at);
    return judgement?.qualified ? { agency: judgement.agency as Agency } : null;
  });
}

export type StandingChange =
  | { readonly type: 'MemberLapsed'; readonly data: MemberLapsed['data'] }
  | { readonly type: 'MemberRequalified'; readonly data: MemberRequalified['data'] };

/**
 * Whether the member's recorded standing still matches the rule's answer at `asOf`, judged over
 * the member's history since their assignment; if not, the change to record, dated from the
 * instant the answer changed (never before the standing recorded last). A review of an instant
 * before the last one judged (a replay) changes nothing.
 */
export function reviewStanding(
  team: TeamRecord & { readonly teamId: string },
  member: Member,
  person: PersonHistory,
  rules: TeamRules,
  asOf: Instant,
): StandingChange | null {
  if (toMillis(asOf) < toMillis(member.reviewedAt)) return null;
  const segments = standingSegments(person, memberQuestion(team, member, rules), member.assignedAt, asOf);
  const last = segments.at(-1);
  if (!last) return null;
  const qualified = last.judgement.qualified;
  if (qualified === (member.standing.status === 'qualified')) return null;
  const since = toMillis(last.from) < toMillis(member.standing.since) ? member.standing.since : last.from;
  const { teamId } = team;
  const { staffId, teamRole } = member;
  if (qualified)
    return { type: 'MemberRequalified', data: { teamId, staffId, teamRole, since, judgedAt: asOf } };
  const { judgement, before } = last;
  return {
    type: 'MemberLapsed',
    data: {
      teamId,
      staffId,
      teamRole,
      since,
      cause: lapseCause(judgement, before),
      unmet: judgement.unmet,
      detail: judgement.barrier?.reason ?? null,
      judgedAt: asOf,
    },
  };
}

/** A member a change of the rules would lapse, as a dry run answers it. */
export interface WouldLapse {
  readonly teamId: string;
  readonly staffId: string;
  readonly teamRole: string;
  readonly cause: ReturnType<typeof lapseCause>;
  readonly unmet: TeamRoleJudgement['unmet'];
  readonly detail: string | null;
}

/**
 * Whether a change of the jurisdiction's rules (`before` → `after`: a new adoption, a new
 * requirement) would lapse the member at `at`: qualified under the rules as they are, not under
 * the rules as they would be. A member already not qualified is not the change's doing.
 */
export function lapseByRuleChange(
  team: TeamRecord & { readonly teamId: string },
  member: Member,
  person: PersonHistory | undefined,
  before: TeamRules,
  after: TeamRules,
  at: Instant,
): WouldLapse | null {
  const was = judgeMember(team, member, person, before, at);
  const would = judgeMember(team, member, person, after, at);
  if (!was?.qualified || !would || would.qualified) return null;
  return {
    teamId: team.teamId,
    staffId: member.staffId,
    teamRole: member.teamRole,
    cause: lapseCause(would, was),
    unmet: would.unmet,
    detail: would.barrier?.reason ?? null,
  };
}
