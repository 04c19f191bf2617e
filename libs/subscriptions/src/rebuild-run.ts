import { withTransaction } from '@cadre/platform/database';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Projection, ProjectionTransaction, RebuildMemory } from './projection.js';
import { storableLines, storableQuery } from './storable-writes.js';

/** A projection's rebuild under way: its fresh schema, its memory, how far it has read. */
export interface Run {
  readonly projection: Projection;
  readonly next: string;
  readonly checkpointName: string;
  readonly memory: RebuildMemory;
  readonly started: number;
  readonly handles: ReadonlySet<string> | null;
  applied: number;
  /** Milliseconds spent on this projection's own work (see `RebuildReport.workSeconds`). */
  workMs: number;
  position: string | null;
}

/** A transaction on `schema` (with the rebuild's memory, when given): `work` gets it and its client. */
export async function inSchema(
  pool: pg.Pool,
  schema: string,
  work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<void>,
  memory?: RebuildMemory,
): Promise<void> {
  await withTransaction(pool, (client) => work(txOn(client, schema, memory), client));
}

export const txOn = (
  client: pg.PoolClient,
  schema: string,
  memory?: RebuildMemory,
): ProjectionTransaction => ({
  schema,
  memory,
  query: storableQuery(client),
  copy: (table, columns, lines) =>
    pipeline(
      Readable.from(storableLines(lines)),
      client.query(copyFrom(`COPY ${schema}.${table} (${columns.join(', ')}) FROM STDIN`)),
    ),
});
