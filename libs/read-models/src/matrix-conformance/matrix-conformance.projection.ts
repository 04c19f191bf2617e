import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import { applyHistory, historyTablesSql } from '../bitemporal/history.js';
import type { HistorySpec } from '../bitemporal/history-spec.js';
import { historyTables } from '../bitemporal/history.projection.js';
import {
  JURISDICTION_TYPES,
  frameworkRequirementsTableSql,
  jurisdictionFactOf,
  requirementsHistory,
  recordFrameworkRequirements,
  withAdoptedRequirements,
} from '../requirement-coverage/framework-requirements.js';
import { adoptionTimeline, publicationTimeline } from './matrix-conformance.timelines.js';

export const MATRIX_CONFORMANCE_SCHEMA = 'rm_matrix_conformance';

const FRAMEWORK_TYPES = ['FrameworkVersionPublished', 'FrameworkVersionRetired'];

const jurisdictionHistory: HistorySpec = {
  factsTable: 'jurisdiction_facts',
  factOf: jurisdictionFactOf,
  histories: [
    requirementsHistory,
    { table: 'adoptions', columns: [{ name: 'version', type: 'text' }], timeline: adoptionTimeline },
  ],
};

const frameworkHistory: HistorySpec = {
  factsTable: 'framework_facts',
  factOf: (event) =>
    FRAMEWORK_TYPES.includes(event.type)
      ? {
          entity: String((event.data as { version: string }).version),
          data: event.data as Record<string, unknown>,
        }
      : null,
  histories: [
    { table: 'publications', columns: [{ name: 'version', type: 'text' }], timeline: publicationTimeline },
  ],
};

/**
 * Matrix conformance: per jurisdiction, the framework version adopted (from when) and the
 * requirements in force, against the regional baseline — the latest published version — each a
 * bitemporal history, so the comparison can be made as of any date, as known at any date.
 */
export const matrixConformanceProjection = (): Projection => ({
  name: 'matrix-conformance',
  version: 2,
  handles: [...JURISDICTION_TYPES, ...FRAMEWORK_TYPES, 'RoleRequirementDefined'],
  tables: [
    'framework_requirements',
    ...historyTables(jurisdictionHistory),
    ...historyTables(frameworkHistory),
  ],
  schema: MATRIX_CONFORMANCE_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(frameworkRequirementsTableSql(schema));
    for (const sql of [
      ...historyTablesSql(schema, jurisdictionHistory),
      ...historyTablesSql(schema, frameworkHistory),
    ])
      await tx.query(sql);
  },
  apply: applyMatrix,
});

async function applyMatrix(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  await recordFrameworkRequirements(events, tx);
  await applyHistory(tx, frameworkHistory, events);
  await applyHistory(tx, jurisdictionHistory, await withAdoptedRequirements(events, tx));
}
