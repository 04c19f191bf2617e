import type { Projection } from '@cadre/subscriptions';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from './staff-names.js';
import {
  CERTIFICATION_EVENTS,
  MEMBER_EVENTS,
  certificationTimeline,
  memberTimeline,
} from './staff-timelines.js';
import { applyTimelines, createTimelineTables } from './timeline.js';
import type { TimelineSpec } from './timeline-segments.js';

/** What a read model of the staff's timelines adds to them: a timeline of its own, its indexes. */
export interface StaffTimelinesReadModel {
  readonly name: string;
  readonly version: number;
  readonly schema: string;
  /** Its own timeline, and the events it reads. */
  readonly timeline: TimelineSpec<unknown>;
  readonly events: readonly string[];
  /** The indexes its query reads by, created after the tables. */
  readonly indexes: (schema: string) => string[];
}

/**
 * The projection of a read model kept on the staff's timelines (the members' placements and the
 * certifications, bitemporal, see timeline.ts) and on their names, with one timeline of its own:
 * the expiry gaps (who serves on which team) and the trainer registry (who delivers which session).
 */
export const staffTimelinesProjection = (
  model: StaffTimelinesReadModel,
  deps: UnsealDependency = {},
): Projection => {
  const timelines = [memberTimeline, certificationTimeline, model.timeline] as TimelineSpec<unknown>[];
  return {
    name: model.name,
    version: model.version,
    handles: [
      ...MEMBER_EVENTS,
      'StaffPersonalDataErased',
      ...CERTIFICATION_EVENTS,
      'RecordVoided',
      ...model.events,
    ],
    tables: ['facts', ...timelines.map((timeline) => timeline.table), 'names'],
    schema: model.schema,
    createTables: async (tx, schema) => {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await createTimelineTables(tx, schema, timelines);
      await createNamesTable(tx, schema);
      for (const sql of model.indexes(schema)) await tx.query(sql);
    },
    apply: async (events, tx) => {
      await applyTimelines(tx, timelines, events);
      await applyNames(
        tx,
        deps,
        events.filter((e) => NAME_EVENTS.includes(e.type)),
      );
    },
  };
};
