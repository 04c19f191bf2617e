import { boundedSessionOptions, inTransaction, resilientPool } from '@cadre/platform/database';
import type pg from 'pg';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors.js';
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
import { isConnectionError } from '@cadre/kernel';
import { queryRows, unavailable, withClient } from './postgres-connection.js';
import {
  comparePgPositions,
  formatPosition,
  parsePgPosition,
  START,
  type PgPosition,
} from './postgres-position.js';
import { PostgresReads } from './postgres-reads.js';
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
   * The longest one statement may take, lock waits included (`statement_timeout`; absent or 0:
   * the server's setting). Past it the statement fails with PostgreSQL's 57014 and its
   * transaction rolls back. The schema's creation at connect is not bounded.
   */
  readonly statementTimeoutMs?: number;
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

const KIND = { exact: 0, any: 1, no_stream: 2, stream_exists: 3 } as const;

/** The PostgreSQL adapter of the event store port (also the embedded default's). */
export class PostgresEventStore implements EventStore {
  private readonly notifier: ChangeNotifier;
  private readonly reads: PostgresReads;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.notifier = new ChangeNotifier(options.connectionString, pool);
    this.reads = new PostgresReads(pool, options.upcast);
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = resilientPool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'cadre-event-store',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      options: boundedSessionOptions(options.statementTimeoutMs ?? 0),
    });
    const store = new PostgresEventStore(pool, options);
    await store.ensureSchema();
    return store;
  }

  private async ensureSchema(): Promise<void> {
    await withClient(this.pool, async (client) => {
      // Without the statement limit: the lock waits for another process's migration, and a
      // migration of a large log may take minutes. The client goes back to the pool with it.
      await client.query('SET statement_timeout = 0');
      try {
        await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
        try {
          await client.query(SCHEMA_SQL);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
        }
      } finally {
        await client.query('RESET statement_timeout');
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
      const row = await withClient(this.pool, async (client) => {
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

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reads.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reads.readAll(options);
  }

  /** Events after `after` in global order, below the log's horizon only. */
  readPage(after: PgPosition, limit: number, filter?: EventFilter): Promise<RecordedEvent[]> {
    return this.reads.readPage(after, limit, filter);
  }

  /** Whether committed events after `after` are held back by an older append still running. */
  hasEventsBeyondHorizon(after: PgPosition): Promise<boolean> {
    return this.reads.hasEventsBeyondHorizon(after);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after === undefined ? START : parsePgPosition(options.after);
    return new PostgresSubscription(this, this.notifier, after, options.filter, options.batchSize ?? 500);
  }

  headPosition(): Promise<Position | null> {
    return this.reads.headPosition();
  }

  comparePositions(a: Position, b: Position): number {
    return comparePgPositions(parsePgPosition(a), parsePgPosition(b));
  }

  /**
   * The difference of the two positions' sequence numbers: every event appended in between takes
   * one (a rolled-back append leaves a gap, and concurrent appends commit out of sequence order,
   * so it is an estimate, never below zero).
   */
  distance(from: Position | null, to: Position): number | null {
    const start = from === null ? 0n : parsePgPosition(from).seq;
    const difference = parsePgPosition(to).seq - start;
    return difference > 0n ? Number(difference) : 0;
  }

  parsePosition(position: string): Position {
    const parsed = parsePgPosition(position);
    return formatPosition(parsed.tx, parsed.seq);
  }

  /** One lookup on the unique index of event_id. */
  locateEvent(eventId: string): Promise<EventLocation | null> {
    return this.reads.locateEvent(eventId);
  }

  async verifyStream(stream: string): Promise<StreamIntegrity> {
    return verifyChain(stream, await this.readStream(stream, { stored: true }));
  }

  async ping(): Promise<void> {
    await queryRows(this.pool, 'SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier.close();
    await this.pool.end();
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
