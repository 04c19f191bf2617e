import type { Projection } from '@cadre/subscriptions';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { staffTimelinesProjection } from '../staff-transcript/staff-timelines.projection.js';
import { TEAM_MEMBERSHIP_EVENTS, teamMembershipTimeline } from './team-membership.timeline.js';

export const EXPIRY_GAPS_SCHEMA = 'rm_expiry_gaps';

/**
 * `coalesce(valid_to | superseded_at, infinity)`: the open ends of a bitemporal row as index keys,
 * so `(asOf, knownAt)` visibility is checked inside the index (the query writes its condition the
 * same way, see libs/read-models/src/expiry-gaps/expiry-gaps.query.ts).
 */
const OPEN_ENDS = `(coalesce(valid_to, 'infinity'::timestamptz)), (coalesce(superseded_at, 'infinity'::timestamptz)), valid_from, recorded_at`;

/**
 * The expiry-gaps query's indexes: its page is a walk of the certifications in the page's order
 * (end, staff, certification), probing the member, a covering certification of the same competency
 * and the team service at the point in time (the teams whose members include the candidate).
 */
export const expiryGapsIndexes = (schema: string): string[] => [
  `CREATE INDEX IF NOT EXISTS certifications_by_end ON ${schema}.certifications (certified_until, staff_id, certification_id, ${OPEN_ENDS})`,
  `CREATE INDEX IF NOT EXISTS certifications_by_competency ON ${schema}.certifications (staff_id, competency, ${OPEN_ENDS})`,
  `CREATE INDEX IF NOT EXISTS members_by_staff ON ${schema}.members (staff_id)`,
  // fastupdate off: a rebuild COPYs the rows into the fresh table after the index is created, and
  // a pending list every probe must read (and the planner prices as such) made the probe a
  // sequential scan per candidate, 10 s a page at 1,000,000 events.
  `CREATE INDEX IF NOT EXISTS team_members_by_member ON ${schema}.team_members USING gin (members) WITH (fastupdate = off)`,
];

/**
 * Expiry gaps (DOMAIN read model 3): certifications expiring within 30/60/90 days, in their
 * recertification window, or expired — MDT members first. Bitemporal histories of certifications,
 * of the members' placement and of who serves on which team, so any date can be asked as known
 * at any date.
 */
export const expiryGapsProjection = (deps: UnsealDependency = {}): Projection =>
  staffTimelinesProjection(
    {
      name: 'expiry-gaps',
      version: 2,
      schema: EXPIRY_GAPS_SCHEMA,
      timeline: teamMembershipTimeline,
      events: TEAM_MEMBERSHIP_EVENTS,
      indexes: expiryGapsIndexes,
    },
    deps,
  );
