import { inTransaction } from '@cadre/platform/database';
import type pg from 'pg';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventLocation,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamIntegrity,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { checkEventSize, validateAppend } from '../event-validation.js';
import { canonicalParts, verifyChain } from '../hash-chain.js';
import { ChangeNotifier } from './change-notifier.js';
import { resilientPool } from './resilient-pool.js';
import { isConnectionError } from '@cadre/kernel';
import {
  comparePgPositions,
  formatPosition,
  parsePgPosition,
  START,
  type PgPosition,
} from './postgres-position.js';
import { SCHEMA, SCHEMA_LOCK_KEY, SCHEMA_SQL } from './postgres-schema.js';
import { PostgresSubscription } from './postgres-subscription.js';
import type { Upcast } from '../upcasting/upcaster-chain.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Connections for appends and reads (subscriptions take one more each while live). */
  readonly poolSize?: number;
  readonly applicationName?: string;
  /** How long to wait for a connection before failing with EventStoreUnavailableError. */
  readonly connectTimeoutMs?: number;
  /**
   * Test-only: append inside an explicit transaction and await this between writing and
   * committing, to reproduce slow concurrent writers. Never set in production.
   */
  readonly beforeCommitForTests?: () => Promise<void>;
  /**
   * The process's clock, which stamps `recordedAt` (so that record time and the business time
   * that commands take from the same clock agree, also when a test or a simulation moves it).
   * Without it, the database server's `now()` does.
   */
  readonly clock?: { now(): Date };
  /**
   * Turns each event read into its type's current schema version (an {@link UpcasterChain}'s
   * `upcast`): applied to readStream, readAll and subscriptions, never to what integrity reads.
   */
  readonly upcast?: Upcast;
}

const COLUMNS = `tx_id::text AS tx, seq::text AS seq, stream_id, revision::text AS revision, event_id::text AS event_id,
  type, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(hash, 'hex') AS hash`;

interface EventRow {
  tx: string;
  seq: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: string;
  hash: string;
}

const KIND = { exact: 0, any: 1, no_stream: 2, stream_exists: 3 } as const;

/** The PostgreSQL adapter of the event store port (also the embedded default's). */
export class PostgresEventStore implements EventStore {
  private readonly notifier: ChangeNotifier;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.notifier = new ChangeNotifier(options.connectionString, pool);
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = resilientPool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'cadre-event-store',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    });
    // An idle client that loses its server emits 'error' on the pool; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool, options);
    await store.ensureSchema();
    return store;
  }

  private async ensureSchema(): Promise<void> {
    await this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
      try {
        await client.query(SCHEMA_SQL);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
      }
    });
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateAppend(stream, events);
    const expected: ExpectedRevision = options.expectedRevision ?? 'any';
    const kind = typeof expected === 'number' ? KIND.exact : KIND[expected];
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new WrongExpectedRevisionError(stream, expected, 'no_stream');
    }
    const ids: string[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const prefixes: string[] = [];
    const suffixes: string[] = [];
    events.forEach((event, index) => {
      const parts = canonicalParts(event, stream);
      checkEventSize(index, parts.dataJson, parts.metadataJson);
      ids.push(event.eventId);
      types.push(event.type);
      data.push(parts.dataJson);
      metadata.push(parts.metadataJson);
      prefixes.push(parts.prefix);
      suffixes.push(parts.suffix);
    });
    const sql = `SELECT next_revision::text AS next_revision, tx, last_seq::text AS last_seq, noop
      FROM ${SCHEMA}.append($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9, $10)`;
    const params = [
      stream,
      kind,
      typeof expected === 'number' ? expected : null,
      ids,
      types,
      data,
      metadata,
      prefixes,
      suffixes,
      this.options.clock?.now().toISOString() ?? null,
    ];
    try {
      const row = await this.withClient(async (client) => {
        const hook = this.options.beforeCommitForTests;
        if (!hook) return (await client.query(sql, params)).rows[0];
        return inTransaction(client, async () => {
          const result = (await client.query(sql, params)).rows[0];
          await hook();
          return result;
        });
      });
      const r = row as { next_revision: string; tx: string; last_seq: string; noop: boolean };
      if (!r.noop) this.notifier.appended();
      return { nextRevision: Number(r.next_revision), position: formatPosition(r.tx, r.last_seq) };
    } catch (error) {
      throw this.translate(error, stream, expected, ids);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [stream];
    const where = ['stream_id = $1'];
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where.push(`revision ${backwards ? '<=' : '>='} $${params.length}`);
    }
    if (options.untilRecordedAt !== undefined) {
      params.push(new Date(options.untilRecordedAt).toISOString());
      where.push(`recorded_at <= $${params.length}`);
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = `LIMIT $${params.length}`;
    }
    // Order by the table's columns (e.), not the text aliases of the select list.
    const sql = `SELECT ${COLUMNS} FROM ${SCHEMA}.events e WHERE ${where.join(' AND ')}
      ORDER BY e.revision ${backwards ? 'DESC' : 'ASC'} ${limit}`;
    const rows = await this.query<EventRow>(sql, params);
    return options.stored ? rows.map(toRecorded) : this.toCurrent(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? START : parsePgPosition(options.after);
    return this.readPage(after, options.limit ?? 1000, options.filter);
  }

  /**
   * The log's horizon (`cadre_es.horizon()`), in a statement of its own: the read that uses it
   * must take its snapshot afterwards, so that an appender that ended in between is seen
   * committed (decision 0005).
   */
  private async horizon(): Promise<string> {
    const rows = await this.query<{ horizon: string }>(`SELECT ${SCHEMA}.horizon()::text AS horizon`);
    return rows[0]!.horizon;
  }

  /** Events after `after` in global order, below the log's horizon only. */
  async readPage(after: PgPosition, limit: number, filter?: EventFilter): Promise<RecordedEvent[]> {
    const horizon = await this.horizon();
    const params: unknown[] = [after.tx.toString(), after.seq.toString(), limit, horizon];
    const where = ['(tx_id, seq) > ($1::text::xid8, $2::bigint)', 'tx_id < $4::text::xid8'];
    if (filter?.eventTypePrefixes?.length) {
      params.push(filter.eventTypePrefixes.map((prefix) => `${escapeLike(prefix)}%`));
      where.push(`type LIKE ANY($${params.length}::text[])`);
    }
    if (filter?.streamCategories?.length) {
      params.push(filter.streamCategories);
      where.push(`split_part(stream_id, '-', 1) = ANY($${params.length}::text[])`);
    }
    const sql = `SELECT ${COLUMNS} FROM ${SCHEMA}.events e WHERE ${where.join(' AND ')}
      ORDER BY e.tx_id, e.seq LIMIT $3`;
    return this.toCurrent(await this.query<EventRow>(sql, params));
  }

  /** Rows as the readers know them: upcast when the store was given a chain. */
  private toCurrent(rows: EventRow[]): RecordedEvent[] {
    const upcast = this.options.upcast;
    return upcast ? rows.map((row) => upcast(toRecorded(row))) : rows.map(toRecorded);
  }

  /** Whether committed events after `after` are held back by an older append still running. */
  async hasEventsBeyondHorizon(after: PgPosition): Promise<boolean> {
    const horizon = await this.horizon();
    const rows = await this.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.events
         WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint) AND tx_id >= $3::text::xid8) AS held`,
      [after.tx.toString(), after.seq.toString(), horizon],
    );
    return rows[0]?.held ?? false;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after === undefined ? START : parsePgPosition(options.after);
    return new PostgresSubscription(this, this.notifier, after, options.filter, options.batchSize ?? 500);
  }

  async headPosition(): Promise<Position | null> {
    const horizon = await this.horizon();
    const rows = await this.query<{ tx: string; seq: string }>(
      `SELECT e.tx_id::text AS tx, e.seq::text AS seq FROM ${SCHEMA}.events e
        WHERE e.tx_id < $1::text::xid8 ORDER BY e.tx_id DESC, e.seq DESC LIMIT 1`,
      [horizon],
    );
    const row = rows[0];
    return row ? formatPosition(row.tx, row.seq) : null;
  }

  comparePositions(a: Position, b: Position): number {
    return comparePgPositions(parsePgPosition(a), parsePgPosition(b));
  }

  parsePosition(position: string): Position {
    const parsed = parsePgPosition(position);
    return formatPosition(parsed.tx, parsed.seq);
  }

  /** One lookup on the unique index of event_id. */
  async locateEvent(eventId: string): Promise<EventLocation | null> {
    if (!UUID.test(eventId)) return null;
    const rows = await this.query<{ stream_id: string; revision: string }>(
      `SELECT stream_id, revision::text AS revision FROM ${SCHEMA}.events WHERE event_id = $1::uuid`,
      [eventId],
    );
    const row = rows[0];
    return row ? { stream: row.stream_id, revision: Number(row.revision) } : null;
  }

  async verifyStream(stream: string): Promise<StreamIntegrity> {
    return verifyChain(stream, await this.readStream(stream, { stored: true }));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier.close();
    await this.pool.end();
  }

  private async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (error) {
      throw isConnectionError(error) ? unavailable(error) : error;
    }
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken: Error | undefined;
    // A connection that dies between two statements emits 'error' on the client: it must not go unhandled.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private translate(error: unknown, stream: string, expected: ExpectedRevision, ids: string[]): unknown {
    const code = (error as { code?: string }).code;
    if (code === 'CA001') {
      const actual = Number((error as Error).message);
      return new WrongExpectedRevisionError(stream, expected, actual < 0 ? 'no_stream' : actual);
    }
    if (code === 'CA002' || code === '23505') return new DuplicateEventIdError(ids[0], stream);
    if (isConnectionError(error)) return unavailable(error);
    return error;
  }
}

const unavailable = (error: unknown): EventStoreUnavailableError =>
  new EventStoreUnavailableError(
    `The event store's PostgreSQL cannot be reached: ${(error as Error).message ?? String(error)}`,
    error,
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream_id,
    revision: Number(row.revision),
    position: formatPosition(row.tx, row.seq),
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}
