import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import { applyHistory, historyTablesSql } from '../bitemporal/history.js';
import type { HistorySpec } from '../bitemporal/history-spec.js';
import { historyTables } from '../bitemporal/history.projection.js';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from '../staff-transcript/staff-names.js';
import {
  JURISDICTION_TYPES,
  frameworkRequirementsTableSql,
  frameworkRolesTableSql,
  jurisdictionFactOf,
  recordFrameworkRequirements,
  requirementsHistory,
  recordFrameworkRoles,
  withAdoptedRequirements,
  withAdoptedRoles,
} from './framework-requirements.js';
import { certificationTimeline, personHistoryRow, placementTimeline } from './coverage.timelines.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export const COVERAGE_SCHEMA = 'rm_coverage';

const STAFF_TYPES = [
  'StaffMemberRegistered',
  'StaffMemberRoleChanged',
  'StaffMemberTransferred',
  'StaffMemberLeft',
  'CertificationAwarded',
  'CertificationRenewed',
  'CertificationSuspended',
  'CertificationReinstated',
  'CertificationRevoked',
  'RecordVoided',
];

/** Staff facts keep placements and certifications only: personal data never enters this model. */
export const staffHistory: HistorySpec = {
  factsTable: 'staff_facts',
  factOf: (event) => {
    if (!STAFF_TYPES.includes(event.type) || !event.stream.startsWith('staff-')) return null;
    const { personalData: _sealed, ...data } = event.data as Record<string, unknown>;
    return { entity: event.stream.slice('staff-'.length), data };
  },
  histories: [
    {
      table: 'placements',
      columns: columnsOf({ jurisdiction: 'text', institution: 'text', agency: 'text', role: 'text' }),
      timeline: placementTimeline,
    },
    {
      table: 'certifications',
      columns: columnsOf({ certification_id: 'text', competency: 'text', level: 'text', level_rank: 'int' }),
      timeline: certificationTimeline,
    },
  ],
  currents: [
    {
      table: 'person_histories',
      columns: columnsOf({
        jurisdiction: 'text',
        institution: 'text',
        agency: 'text',
        role: 'text',
        status: 'text',
        history: 'jsonb',
      }),
      row: personHistoryRow,
    },
  ],
};

export const jurisdictionHistory: HistorySpec = {
  factsTable: 'jurisdiction_facts',
  factOf: jurisdictionFactOf,
  histories: [requirementsHistory],
};

/** The open ends of a bitemporal row as index keys (the query writes its condition the same way). */
const OPEN_ENDS = `(coalesce(valid_to, 'infinity'::timestamptz)), (coalesce(superseded_at, 'infinity'::timestamptz)), valid_from, recorded_at`;

/**
 * The coverage query's indexes: the placements of a jurisdiction at a point in time, then each
 * placed person's certifications at that point, probed by person.
 */
export const coverageIndexes = (schema: string): string[] => [
  `CREATE INDEX IF NOT EXISTS placements_by_jurisdiction ON ${schema}.placements (jurisdiction, ${OPEN_ENDS})`,
  `CREATE INDEX IF NOT EXISTS certifications_by_staff ON ${schema}.certifications (entity, ${OPEN_ENDS})`,
  // The eligibility check: who stands in a jurisdiction now, as last known.
  `CREATE INDEX IF NOT EXISTS person_histories_by_jurisdiction ON ${schema}.person_histories (jurisdiction)`,
];

/**
 * Coverage: the share of headcount meeting each requirement in force. Three bitemporal histories —
 * staff placements, certification validity, requirements in force per jurisdiction — which the
 * query joins at `(asOf, knownAt)`; nothing is replayed at query time. The eligibility check reads
 * the same model: each person's whole history (`person_histories`), the jurisdiction's facts with
 * the adopted versions' roles and requirements, and the names (unsealed, "erased" once erased).
 *
 * Version 4: `person_histories` (every period, every change of status) replaces
 * `certification_records` (the current period only); adoptions carry the version's roles; names.
 * Version 5: `person_histories` is a current-state table (one row per person, rewritten in place
 * once per batch): as a bitemporal history it kept a new version of the whole history at every
 * staff fact, and had only one reader, eligibility, which asks about now.
 */
export const coverageProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'coverage',
  version: 5,
  handles: [
    ...new Set([
      ...STAFF_TYPES,
      ...NAME_EVENTS,
      ...JURISDICTION_TYPES,
      'RoleDefined',
      'RoleRequirementDefined',
    ]),
  ],
  tables: [
    'framework_requirements',
    'framework_roles',
    ...historyTables(staffHistory),
    ...historyTables(jurisdictionHistory),
    'names',
  ],
  schema: COVERAGE_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(frameworkRequirementsTableSql(schema));
    await tx.query(frameworkRolesTableSql(schema));
    await createNamesTable(tx, schema);
    for (const sql of [
      ...historyTablesSql(schema, staffHistory),
      ...historyTablesSql(schema, jurisdictionHistory),
      ...coverageIndexes(schema),
    ])
      await tx.query(sql);
  },
  apply: (events, tx) => applyCoverage(events, tx, deps),
});

async function applyCoverage(
  events: readonly RecordedEvent[],
  tx: ProjectionTransaction,
  deps: UnsealDependency,
): Promise<void> {
  await recordFrameworkRequirements(events, tx);
  await recordFrameworkRoles(events, tx);
  await applyHistory(tx, staffHistory, events);
  const adoptions = await withAdoptedRoles(await withAdoptedRequirements(events, tx), tx);
  await applyHistory(tx, jurisdictionHistory, adoptions);
  await applyNames(
    tx,
    deps,
    events.filter((e) => NAME_EVENTS.includes(e.type)),
  );
}
