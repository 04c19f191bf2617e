import type { Agency } from '../shared/agencies.js';
import { assertNever } from '../shared/decider.js';
import type { Violation } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';
import type {
  AssignmentOverrideRequested,
  LapseCause,
  OverrideInfo,
  TeamEvent,
  TeamFormed,
} from './team.events.js';
import type { MissingDiscipline } from './team.errors.js';

/** A member's recorded standing on the team: a fact over business time (decision 0010). */
export type MemberStanding =
  | { readonly status: 'qualified'; readonly since: Instant }
  | {
      readonly status: 'lapsed';
      readonly since: Instant;
      readonly cause: LapseCause | 'recorded-before-0010';
      readonly unmet: readonly Violation[];
    };

export interface Member {
  readonly staffId: string;
  readonly teamRole: string;
  readonly agency: Agency;
  readonly override: OverrideInfo | null;
  /** Business time of the assignment: the member's standing is judged from then on. */
  readonly assignedAt: Instant;
  readonly standing: MemberStanding;
  /**
   * The log instant the standing was last judged at (the assignment's business time before any
   * review): a review of an earlier instant — a replay of the process — changes nothing.
   */
  readonly reviewedAt: Instant;
}

export type PendingOverride = AssignmentOverrideRequested['data'] & {
  readonly decision: 'pending' | 'approved' | 'rejected';
};

export interface TeamRecord extends Omit<TeamFormed['data'], never> {
  readonly members: Readonly<Record<string, Member>>;
  readonly lead: string | null;
  readonly overrides: Readonly<Record<string, PendingOverride>>;
}

/** Forming until declared operational; dissolved is final and read-only. */
export type TeamState =
  | { readonly status: 'none' }
  | ({ readonly status: 'forming' } & TeamRecord)
  | ({ readonly status: 'operational' } & TeamRecord)
  | ({ readonly status: 'dissolved' } & TeamRecord);

export const initialTeamState = (): TeamState => ({ status: 'none' });

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  if (event.type === 'TeamFormed')
    return { status: 'forming', ...event.data, members: {}, lead: null, overrides: {} };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'MemberAssigned': {
      const { staffId, teamRole, agency, override, assignedAt } = event.data;
      const standing = { status: 'qualified' as const, since: assignedAt };
      const member: Member = {
        staffId,
        teamRole,
        agency,
        override,
        assignedAt,
        standing,
        reviewedAt: assignedAt,
      };
      return { ...state, members: { ...state.members, [staffId]: member } };
    }
    case 'AssignmentOverrideRequested':
      return withOverride(state, { ...event.data, decision: 'pending' });
    case 'AssignmentOverrideApproved':
    case 'AssignmentOverrideRejected': {
      const pending = state.overrides[event.data.overrideId];
      const decision = event.type === 'AssignmentOverrideApproved' ? 'approved' : 'rejected';
      return pending ? withOverride(state, { ...pending, decision }) : state;
    }
    case 'MemberReleased': {
      const { [event.data.staffId]: _released, ...members } = state.members;
      return { ...state, members, lead: state.lead === event.data.staffId ? null : state.lead };
    }
    case 'TeamLeadDesignated':
      return { ...state, lead: event.data.staffId };
    case 'TeamDeclaredOperational':
      return { ...state, status: 'operational' };
    case 'MemberQualificationLapsed': {
      // Read as stored: a lapse since it was recorded, with no requirement named.
      const since = event.metadata?.occurredAt ?? EPOCH;
      const standing = { status: 'lapsed' as const, since, cause: event.data.cause, unmet: [] };
      return withStanding(state, event.data.staffId, standing, since);
    }
    case 'MemberLapsed': {
      const { since, cause, unmet, judgedAt } = event.data;
      return withStanding(state, event.data.staffId, { status: 'lapsed', since, cause, unmet }, judgedAt);
    }
    case 'MemberRequalified': {
      const { since, judgedAt } = event.data;
      return withStanding(state, event.data.staffId, { status: 'qualified', since }, judgedAt);
    }
    case 'TeamReadinessLost':
      return state.status === 'operational' ? { ...state, status: 'forming' } : state;
    case 'TeamDissolved':
      return { ...state, status: 'dissolved' };
    default:
      return assertNever(event);
  }
}

/** Events folded without an envelope (specs) take effect from the beginning. */
const EPOCH = '1970-01-01T00:00:00.000Z';

function withStanding(
  state: Extract<TeamState, TeamRecord>,
  staffId: string,
  standing: MemberStanding,
  reviewedAt: Instant,
) {
  const member = state.members[staffId];
  if (!member) return state;
  return { ...state, members: { ...state.members, [staffId]: { ...member, standing, reviewedAt } } };
}

function withOverride(state: Extract<TeamState, TeamRecord>, override: PendingOverride) {
  return { ...state, overrides: { ...state.overrides, [override.overrideId]: override } };
}

/**
 * What stands between the team and being operational (empty lists: ready), counting the members
 * `counts` admits — by the clock (`readinessAt`), or by their recorded standing — with the agency
 * each one has then.
 */
export function readiness(
  team: TeamRecord,
  counts: (member: Member) => { readonly agency: Agency } | null,
): { missing: MissingDiscipline[]; agenciesMissing: Agency[] } {
  const members = Object.values(team.members).flatMap((member) => {
    const counted = counts(member);
    return counted ? [{ teamRole: member.teamRole, agency: counted.agency }] : [];
  });
  const missing = team.requiredDisciplines
    .map(({ role, minCount }) => ({
      role,
      required: minCount,
      present: members.filter((m) => m.teamRole === role).length,
    }))
    .filter(({ required, present }) => present < required);
  const agenciesMissing =
    team.kind === 'joint'
      ? (['prison', 'probation'] as const).filter((agency) => !members.some((m) => m.agency === agency))
      : [];
  return { missing, agenciesMissing };
}

/** Counts members by their recorded standing (what the log says so far). */
export const byRecordedStanding = (member: Member) =>
  member.standing.status === 'qualified' ? { agency: member.agency } : null;
