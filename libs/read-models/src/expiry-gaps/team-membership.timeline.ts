import {
  byOccurrence,
  mergeSegments,
  type Segment,
  type TimelineSpec,
} from '../staff-transcript/timeline-segments.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export interface TeamMembershipState {
  readonly teamId: string;
  /** The staff serving on the team, sorted. */
  readonly members: readonly string[];
}

export const TEAM_MEMBERSHIP_EVENTS = ['TeamFormed', 'MemberAssigned', 'MemberReleased', 'TeamDissolved'];

/** Who serves on a multi-disciplinary team over business time; key: teamId. */
export const teamMembershipTimeline: TimelineSpec<TeamMembershipState> = {
  table: 'team_members',
  columns: columnsOf({ team_id: 'text', members: 'text[]' }),
  keysOf: (event) =>
    TEAM_MEMBERSHIP_EVENTS.includes(event.type) ? [String((event.data as { teamId: unknown }).teamId)] : [],
  timeline: (facts) => {
    const segments: Segment<TeamMembershipState>[] = [];
    let members: string[] | null = null;
    const ordered = byOccurrence(facts);
    ordered.forEach((fact, i) => {
      const d = fact.data as { teamId: string; staffId?: string };
      if (fact.type === 'TeamFormed') members = [];
      else if (fact.type === 'TeamDissolved') members = null;
      else if (fact.type === 'MemberAssigned')
        members = [...new Set([...(members ?? []), d.staffId!])].sort();
      else if (fact.type === 'MemberReleased') members = (members ?? []).filter((id) => id !== d.staffId);
      const next = ordered.slice(i + 1).find((f) => f.occurredAt > fact.occurredAt);
      const sameInstantLater = ordered.slice(i + 1).some((f) => f.occurredAt === fact.occurredAt);
      if (members === null || sameInstantLater) return;
      segments.push({
        validFrom: fact.occurredAt,
        validTo: next?.occurredAt ?? null,
        state: { teamId: d.teamId, members },
      });
    });
    return mergeSegments(segments);
  },
  values: (_key, s) => [s.teamId, s.members],
};
