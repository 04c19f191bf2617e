import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';

let position = 0;

/** A recorded event as the runner hands it over: business time `occurredAt`, record time `recordedAt`. */
export function recorded(
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  recordedAt: string = occurredAt,
  eventId: string = randomUUID(),
): RecordedEvent {
  position += 1;
  return {
    eventId,
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { sub: 'test', roles: ['admin'], jurisdictions: ['*'] },
      occurredAt: new Date(occurredAt).toISOString(),
      schemaVersion: 1,
    },
    stream: `test-${String(data.staffId ?? data.sessionId ?? data.teamId ?? 'x')}`,
    revision: 0,
    position: `0-${position}`,
    recordedAt: new Date(recordedAt).toISOString(),
    hash: 'test',
  } as unknown as RecordedEvent;
}

/** Creates the projection's tables in `schema` and applies the batches, each in its own transaction. */
export async function project(
  pool: pg.Pool,
  projection: Projection,
  batches: readonly (readonly RecordedEvent[])[],
  schema = projection.schema,
): Promise<void> {
  const client = await pool.connect();
  try {
    const tx: ProjectionTransaction = {
      schema,
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
        (await client.query(sql, params ? [...params] : undefined)).rows as Row[],
    };
    await client.query('BEGIN');
    await projection.createTables(tx, schema);
    await client.query('COMMIT');
    for (const batch of batches) {
      await client.query('BEGIN');
      await projection.apply(batch, tx);
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Every text value of every table of a schema, as one string: to prove a value is gone. */
export async function schemaText(pool: pg.Pool, schema: string): Promise<string> {
  const tables = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
    [schema],
  );
  const texts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await pool.query(`SELECT t::text AS row FROM ${schema}.${table_name} t`);
    texts.push(...rows.rows.map((r: { row: string }) => r.row));
  }
  return texts.join('\n');
}
