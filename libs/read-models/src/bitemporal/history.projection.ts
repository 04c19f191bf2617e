import type { Projection } from '@cadre/subscriptions';
import { applyHistory, historyTablesSql } from './history.js';
import type { HistorySpec } from './history-spec.js';

/** A read model that is the histories of one kind of entity, and the indexes its query reads by. */
export interface HistoriesReadModel {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly string[];
  readonly schema: string;
  readonly history: HistorySpec;
  readonly indexes?: (schema: string) => string[];
}

/** The tables of a history: its facts, then its histories and current-state tables. */
export const historyTables = (spec: HistorySpec): string[] => [
  spec.factsTable,
  ...spec.histories.map((history) => history.table),
  ...(spec.currents ?? []).map((current) => current.table),
];

/**
 * The projection of a read model made of one {@link HistorySpec} alone: its tables, how they are
 * created and how a batch is applied all follow from the spec (history.ts).
 */
export const historiesProjection = (model: HistoriesReadModel): Projection => ({
  name: model.name,
  version: model.version,
  handles: model.handles,
  tables: historyTables(model.history),
  schema: model.schema,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const sql of [...historyTablesSql(schema, model.history), ...(model.indexes?.(schema) ?? [])])
      await tx.query(sql);
  },
  apply: (events, tx) => applyHistory(tx, model.history, events),
});
