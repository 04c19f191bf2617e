import type { Agency } from '../shared/agencies.js';
import { assertNever } from '../shared/decider.js';
import type { AssignmentOverrideRequested, OverrideInfo, TeamEvent, TeamFormed } from './team.events.js';
import type { MissingDiscipline } from './team.errors.js';

export interface Member {
  readonly staffId: string;
  readonly teamRole: string;
  readonly agency: Agency;
  readonly override: OverrideInfo | null;
  /** Certifications whose lapse was recorded since assignment: the member no longer counts as qualified. */
  readonly lapsed: readonly string[];
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
      const { staffId, teamRole, agency, override } = event.data;
      const member: Member = { staffId, teamRole, agency, override, lapsed: [] };
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
      const member = state.members[event.data.staffId];
      if (!member) return state;
      const lapsed = [...member.lapsed, event.data.certificationId];
      return { ...state, members: { ...state.members, [member.staffId]: { ...member, lapsed } } };
    }
    case 'TeamDissolved':
      return { ...state, status: 'dissolved' };
    default:
      return assertNever(event);
  }
}

function withOverride(state: Extract<TeamState, TeamRecord>, override: PendingOverride) {
  return { ...state, overrides: { ...state.overrides, [override.overrideId]: override } };
}

/** Members who count towards the disciplines: none whose qualification has lapsed. */
export function countingMembers(team: TeamRecord): Member[] {
  return Object.values(team.members).filter((member) => member.lapsed.length === 0);
}

/** What stands between the team and being operational (empty lists: ready). */
export function readiness(team: TeamRecord): { missing: MissingDiscipline[]; agenciesMissing: Agency[] } {
  const members = countingMembers(team);
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
