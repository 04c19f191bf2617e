import type { QueryRunner } from 'typeorm';
import { storableParams, type ProjectionTransaction } from '@cadre/subscriptions';

/** A migration's query runner as a projection transaction, so `up` can call `createTables`. */
export const migrationTransaction = (runner: QueryRunner, schema: string): ProjectionTransaction => ({
  schema,
  query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
    (await runner.query(sql, params ? [...storableParams(params)] : undefined)) as Row[],
});
