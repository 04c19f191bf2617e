import type { Projection } from '@cadre/subscriptions';
import { applyHistory, historyTablesSql } from '../bitemporal/history.js';
import type { HistorySpec } from '../bitemporal/history-spec.js';
import { lapseTimeline, membershipTimeline, teamTimeline } from './team-composition.timelines.js';

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
      columns: [
        { name: 'name', type: 'text' },
        { name: 'jurisdiction', type: 'text' },
        { name: 'kind', type: 'text' },
        { name: 'required_disciplines', type: 'jsonb' },
        { name: 'status', type: 'text' },
      ],
      timeline: teamTimeline,
    },
    {
      table: 'memberships',
      columns: [
        { name: 'staff_id', type: 'text' },
        { name: 'team_role', type: 'text' },
        { name: 'agency', type: 'text' },
        { name: 'by_override', type: 'boolean' },
      ],
      timeline: membershipTimeline,
    },
    {
      table: 'lapses',
      columns: [
        { name: 'staff_id', type: 'text' },
        { name: 'certification_id', type: 'text' },
        { name: 'cause', type: 'text' },
      ],
      timeline: lapseTimeline,
    },
  ],
};

/**
 * Team composition over time: the team, its members and its unqualified members (lapses), each a
 * bitemporal history (`entity` = the team id), so an auditor sees which disciplines were present
 * and who served unqualified, and for how long, on any date as known on any date.
 */
export const teamCompositionProjection = (): Projection => ({
  name: 'team-composition',
  // 3: lapses from their `since` to the requalification, and a team's lost readiness (decision 0010).
  version: 3,
  handles: TEAM_TYPES,
  tables: ['team_facts', 'teams', 'memberships', 'lapses'],
  schema: TEAM_COMPOSITION_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const sql of historyTablesSql(schema, teamCompositionHistory)) await tx.query(sql);
  },
  apply: (events, tx) => applyHistory(tx, teamCompositionHistory, events),
});
