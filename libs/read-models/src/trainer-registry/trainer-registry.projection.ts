import type { Projection } from '@cadre/subscriptions';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { staffTimelinesProjection } from '../staff-transcript/staff-timelines.projection.js';
import { SESSION_DELIVERY_EVENTS, sessionDeliveryTimeline } from './session-delivery.timeline.js';

export const TRAINER_REGISTRY_SCHEMA = 'rm_trainer_registry';

/**
 * The trainer-registry query's indexes: the trainer-level accreditations by staff, the members by
 * staff, the sessions by trainer. The GIN index without a pending list (`fastupdate = off`): a
 * rebuild's bulk insert would otherwise leave every entry in the list, which each lookup scans
 * until a (auto)vacuum merges it.
 */
export const trainerRegistryIndexes = (schema: string): string[] => [
  `CREATE INDEX IF NOT EXISTS sessions_by_trainer ON ${schema}.sessions USING gin (trainers) WITH (fastupdate = off)`,
  `CREATE INDEX IF NOT EXISTS certifications_trainers ON ${schema}.certifications (staff_id) WHERE level = 'trainer'`,
  `CREATE INDEX IF NOT EXISTS members_by_staff ON ${schema}.members (staff_id)`,
];

/**
 * The trainer registry (DOMAIN read model 8): trainer-level accreditations with their validity,
 * and the cascade sessions each trainer delivered — bitemporal, so any date can be asked as known
 * at any date.
 */
export const trainerRegistryProjection = (deps: UnsealDependency = {}): Projection =>
  staffTimelinesProjection(
    {
      name: 'trainer-registry',
      version: 2,
      schema: TRAINER_REGISTRY_SCHEMA,
      timeline: sessionDeliveryTimeline,
      events: SESSION_DELIVERY_EVENTS,
      indexes: trainerRegistryIndexes,
    },
    deps,
  );
