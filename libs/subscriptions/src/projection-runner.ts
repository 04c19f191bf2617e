import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS } from '@cadre/kernel';
import type pg from 'pg';
import type { EventStore, Position, RecordedEvent } from '@cadre/event-store';
import { ensureCheckpoints, readCheckpoint, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import type { Projection, ProjectionTransaction } from './projection.js';
import { storableQuery } from './storable-writes.js';
import {
  CheckpointMovedError,
  SubscriptionRunner,
  type ConsumerCheckpoint,
  type LogConsumer,
  type SubscriptionRunnerOptions,
} from './subscription-runner.js';

/** Advisory lock serialising the table creation of every projection. */
const PREPARE_LOCK_KEY = ADVISORY_LOCKS.runnerPrepare;

export interface ProjectionRunnerOptions extends Omit<SubscriptionRunnerOptions, 'connectionString'> {
  /** Test-only: awaited inside a batch's transaction, before it commits. */
  readonly inBatchHookForTests?: (events: readonly RecordedEvent[]) => Promise<void>;
}

type Log = NonNullable<SubscriptionRunnerOptions['log']>;

/**
 * A projection as a {@link LogConsumer}: opening makes its tables (and empties them when the
 * checkpoint is of another version), and each batch is applied in one transaction that also
 * advances the checkpoint — after checking, under a row lock, that the checkpoint is still where
 * this runner left it.
 */
export class ProjectionConsumer implements LogConsumer {
  constructor(
    private readonly pool: pg.Pool,
    readonly projection: Projection,
    private readonly log: Log = () => undefined,
    private readonly inBatchHook?: (events: readonly RecordedEvent[]) => Promise<void>,
  ) {}

  get name(): string {
    return this.projection.name;
  }

  get handles(): readonly string[] {
    return this.projection.handles;
  }

  /** Tables exist; a checkpoint of another version means the tables are rebuilt from the start. */
  async open(): Promise<ConsumerCheckpoint> {
    const { projection } = this;
    return this.transaction(async (tx, client) => {
      // One projection's DDL at a time across the cluster: concurrent CREATE SCHEMA/TABLE IF NOT
      // EXISTS collide on the catalog's unique indexes, and projections sharing tables would deadlock.
      // Without the statement limit: the lock waits for another runner's DDL, and creating (or
      // truncating, on a new version) a large table may take long.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PREPARE_LOCK_KEY]);
      await ensureCheckpoints(client);
      await projection.createTables(tx, projection.schema);
      const checkpoint = await readCheckpoint(client, projection.name, true);
      if (checkpoint && checkpoint.version === projection.version) {
        return { position: checkpoint.position, lastRecordedAt: checkpoint.lastRecordedAt };
      }
      if (checkpoint) {
        this.log('warn', `projection ${projection.name} changed version: rebuilding from the start`, {
          from: checkpoint.version,
          to: projection.version,
        });
        for (const table of projection.tables) await tx.query(`TRUNCATE ${projection.schema}.${table}`);
      }
      await resetCheckpoint(client, projection.name, projection.version);
      return { position: null, lastRecordedAt: null };
    });
  }

  async handle(
    events: readonly RecordedEvent[],
    expected: Position | null,
    last: RecordedEvent,
  ): Promise<void> {
    const { projection } = this;
    await this.transaction(async (tx, client) => {
      const checkpoint = await readCheckpoint(client, projection.name, true);
      if ((checkpoint?.position ?? null) !== expected) {
        throw new CheckpointMovedError(
          `checkpoint of ${projection.name} moved: another runner is applying it`,
        );
      }
      if (events.length > 0) await projection.apply(events, tx);
      await this.inBatchHook?.(events);
      await writeCheckpoint(
        client,
        projection.name,
        projection.version,
        last.position,
        events.length,
        last.recordedAt,
      );
    });
  }

  private transaction<T>(work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, (client) => {
      const tx: ProjectionTransaction = { schema: this.projection.schema, query: storableQuery(client) };
      return work(tx, client);
    });
  }
}

/** Runs one projection under the {@link SubscriptionRunner}: lease, checkpoint, batches in transactions. */
export class ProjectionRunner extends SubscriptionRunner {
  readonly projection: Projection;

  constructor(
    store: EventStore,
    pool: pg.Pool,
    connectionString: string,
    projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    const log: Log = (level, message, fields) => options.log?.(level, message, fields);
    super(store, new ProjectionConsumer(pool, projection, log, options.inBatchHookForTests), {
      ...options,
      connectionString,
    });
    this.projection = projection;
  }
}
