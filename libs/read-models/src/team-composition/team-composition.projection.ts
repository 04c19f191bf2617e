import type { Projection } from '@cadre/subscriptions';
import { historiesProjection } from '../bitemporal/history.projection.js';
import type { HistorySpec } from '../bitemporal/history-spec.js';
import { lapseTimeline, membershipTimeline, teamTimeline } from './team-composition.timelines.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export const TEAM_COMPOSITION_SCHEMA = 'rm_team_composition';

const TEAM_TYPES = [
  'TeamFormed',
  'MemberAssigned',
  'MemberReleased',
  'TeamDeclaredOperational',
  'MemberQualificationLapsed',
  'MemberLapsed',
  'MemberRequalified',
  'TeamReadinessLost',
  'TeamDissolved',
];

export const teamCompositionHistory: HistorySpec = {
  factsTable: 'team_facts',
  factOf: (event) =>
    TEAM_TYPES.includes(event.type)
      ? { entity: (event.data as { teamId: string }).teamId, data: event.data as Record<string, unknown> }
      : null,
  histories: [
    {
      table: 'teams',
      columns: columnsOf({
        name: 'text',
        jurisdiction: 'text',
        kind: 'text',
        required_disciplines: 'jsonb',
        status: 'text',
      }),
      timeline: teamTimeline,
    },
    {
      table: 'memberships',
      columns: columnsOf({ staff_id: 'text', team_role: 'text', agency: 'text', by_override: 'boolean' }),
      timeline: membershipTimeline,
    },
    {
      table: 'lapses',
      columns: columnsOf({ staff_id: 'text', certification_id: 'text', cause: 'text' }),
      timeline: lapseTimeline,
    },
  ],
};

/**
 * Team composition over time: the team, its members and its unqualified members (lapses), each a
 * bitemporal history (`entity` = the team id), so an auditor sees which disciplines were present
 * and who served unqualified, and for how long, on any date as known on any date.
 */
export const teamCompositionProjection = (): Projection =>
  historiesProjection({
    name: 'team-composition',
    // 3: lapses from their `since` to the requalification, and a team's lost readiness (decision 0010).
    version: 3,
    handles: TEAM_TYPES,
    schema: TEAM_COMPOSITION_SCHEMA,
    history: teamCompositionHistory,
  });
