import type { Projection } from '../../projection.js';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from '../staff-transcript/staff-names.js';
import {
  CERTIFICATION_EVENTS,
  MEMBER_EVENTS,
  certificationTimeline,
  memberTimeline,
} from '../staff-transcript/staff-timelines.js';
import { applyTimelines, createTimelineTables, type TimelineSpec } from '../staff-transcript/timeline.js';
import { TEAM_MEMBERSHIP_EVENTS, teamMembershipTimeline } from './team-membership.timeline.js';

export const EXPIRY_GAPS_SCHEMA = 'rm_expiry_gaps';

const TIMELINES = [memberTimeline, certificationTimeline, teamMembershipTimeline] as TimelineSpec<unknown>[];

/**
 * Expiry gaps (DOMAIN read model 3): certifications expiring within 30/60/90 days, in their
 * recertification window, or expired — MDT members first. Bitemporal histories of certifications,
 * of the members' placement and of who serves on which team, so any date can be asked as known
 * at any date.
 */
export const expiryGapsProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'expiry-gaps',
  version: 2,
  handles: [
    ...MEMBER_EVENTS,
    'StaffPersonalDataErased',
    ...CERTIFICATION_EVENTS,
    'RecordVoided',
    ...TEAM_MEMBERSHIP_EVENTS,
  ],
  tables: ['facts', 'members', 'certifications', 'team_members', 'names'],
  schema: EXPIRY_GAPS_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await createTimelineTables(tx, schema, TIMELINES);
    await createNamesTable(tx, schema);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS certifications_by_until ON ${schema}.certifications (certified_until) WHERE superseded_at IS NULL`,
    );
  },
  apply: async (events, tx) => {
    await applyTimelines(tx, TIMELINES, events);
    await applyNames(
      tx,
      deps,
      events.filter((e) => NAME_EVENTS.includes(e.type)),
    );
  },
});
