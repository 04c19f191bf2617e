import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS } from '@cadre/kernel';
import type pg from 'pg';
import type { EventStore, RecordedEvent, Subscription } from '@cadre/event-store';
import { ensureCheckpoints, readCheckpoint, resetCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { SharedConnectionLeases, type Lease, type LeaseProvider } from './leases.js';
import { ALL_EVENTS, type Projection, type ProjectionTransaction } from './projection.js';

/** Advisory lock serialising the table creation of every projection. */
const PREPARE_LOCK_KEY = ADVISORY_LOCKS.runnerPrepare;

export type RunnerState = 'idle' | 'waiting-for-lease' | 'running' | 'failed' | 'stopped';

export interface RunnerStatus {
  readonly name: string;
  readonly state: RunnerState;
  readonly position: string | null;
  readonly lastRecordedAt: string | null;
  readonly appliedSinceStart: number;
  readonly error: string | null;
}

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  /** How often a runner without the lease tries to take it (a dead holder's lease frees at once). */
  readonly leaseRetryMs?: number;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
  /** Called after each committed batch (metrics). */
  readonly onBatch?: (status: RunnerStatus, applied: number) => void;
  /** Where leases come from: one connection shared by the process's runners (the worker), or one of its own. */
  readonly leases?: LeaseProvider;
  /** Test-only: awaited inside a batch's transaction, before it commits. */
  readonly inBatchHookForTests?: (events: readonly RecordedEvent[]) => Promise<void>;
}

/** Another runner moved the checkpoint: this one lost its lease and must start over. */
class CheckpointMovedError extends Error {}

/**
 * Runs one projection: takes its lease (a session advisory lock, so a dead process frees it at
 * once and another worker takes over within `leaseRetryMs`), subscribes from its checkpoint, and
 * applies each batch in one transaction that also advances the checkpoint — after checking, under
 * a row lock, that the checkpoint is still where this runner left it.
 */
export class ProjectionRunner {
  private state: RunnerState = 'idle';
  private position: string | null = null;
  private lastRecordedAt: string | null = null;
  private applied = 0;
  private error: string | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private lease: Lease | null = null;
  private ownLeases: LeaseProvider | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  start(): void {
    this.stopping = false;
    this.loop ??= this.run().finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.subscription?.close();
    await this.loop;
    this.state = 'stopped';
  }

  status(): RunnerStatus {
    return {
      name: this.projection.name,
      state: this.state,
      position: this.position,
      lastRecordedAt: this.lastRecordedAt,
      appliedSinceStart: this.applied,
      error: this.error,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.state = 'waiting-for-lease';
        if (!(await this.acquireLease())) {
          await this.sleep(this.options.leaseRetryMs ?? 1000);
          continue;
        }
        this.state = 'running';
        await this.prepare();
        await this.follow();
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        this.state = 'failed';
        this.error = error instanceof Error ? error.message : String(error);
        this.log('error', `projection ${this.projection.name} stopped on an error; retrying`, {
          error: this.error,
        });
        await this.sleep(Math.min(30_000, 500 * 2 ** failures++));
      } finally {
        await this.releaseLease();
      }
    }
  }

  /** Tables exist; a checkpoint of another version means the tables are rebuilt from the start. */
  private async prepare(): Promise<void> {
    await this.transaction(async (tx, client) => {
      // One projection's DDL at a time across the cluster: concurrent CREATE SCHEMA/TABLE IF NOT
      // EXISTS collide on the catalog's unique indexes, and projections sharing tables would deadlock.
      await client.query('SELECT pg_advisory_xact_lock($1)', [PREPARE_LOCK_KEY]);
      await ensureCheckpoints(client);
      await this.projection.createTables(tx, this.projection.schema);
      const checkpoint = await readCheckpoint(client, this.projection.name, true);
      if (!checkpoint || checkpoint.version !== this.projection.version) {
        if (checkpoint) {
          this.log('warn', `projection ${this.projection.name} changed version: rebuilding from the start`, {
            from: checkpoint.version,
            to: this.projection.version,
          });
          for (const table of this.projection.tables)
            await tx.query(`TRUNCATE ${this.projection.schema}.${table}`);
        }
        await resetCheckpoint(client, this.projection.name, this.projection.version);
        this.position = null;
      } else {
        this.position = checkpoint.position;
        this.lastRecordedAt = checkpoint.lastRecordedAt;
      }
    });
  }

  private async follow(): Promise<void> {
    const all = this.projection.handles.includes(ALL_EVENTS);
    const handles = new Set(this.projection.handles);
    this.subscription = this.store.subscribeToAll({
      after: this.position ?? undefined,
      filter: all ? undefined : { eventTypePrefixes: this.projection.handles },
      batchSize: this.options.batchSize ?? 500,
    });
    // stop() may have come while this runner was preparing, before there was a subscription to close.
    if (this.stopping) await this.subscription.close();
    try {
      for await (const batch of this.subscription) {
        if (this.stopping || !this.lease?.held) break;
        await this.applyBatch(
          all ? batch : batch.filter((event) => handles.has(event.type)),
          batch[batch.length - 1],
        );
      }
    } finally {
      await this.subscription.close();
      this.subscription = null;
    }
  }

  private async applyBatch(events: readonly RecordedEvent[], last: RecordedEvent): Promise<void> {
    const expected = this.position;
    await this.transaction(async (tx, client) => {
      const checkpoint = await readCheckpoint(client, this.projection.name, true);
      if ((checkpoint?.position ?? null) !== expected) {
        throw new CheckpointMovedError(
          `checkpoint of ${this.projection.name} moved: another runner is applying it`,
        );
      }
      if (events.length > 0) await this.projection.apply(events, tx);
      await this.options.inBatchHookForTests?.(events);
      await writeCheckpoint(
        client,
        this.projection.name,
        this.projection.version,
        last.position,
        events.length,
        last.recordedAt,
      );
    });
    this.position = last.position;
    this.lastRecordedAt = last.recordedAt;
    this.applied += events.length;
    this.error = null;
    this.options.onBatch?.(this.status(), events.length);
  }

  private async transaction(
    work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<void>,
  ): Promise<void> {
    await withTransaction(this.pool, (client) => {
      const tx: ProjectionTransaction = {
        schema: this.projection.schema,
        query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[])).rows as Row[],
      };
      return work(tx, client);
    });
  }

  private async acquireLease(): Promise<boolean> {
    const provider =
      this.options.leases ??
      (this.ownLeases ??= new SharedConnectionLeases(
        this.connectionString,
        `cadre-lease-${this.projection.name}`,
      ));
    const lease = await provider.tryAcquire(this.projection.name);
    if (!lease) return false;
    // The lease is gone with its connection: stop applying; the checkpoint check guards the rest.
    lease.onLost(() => void this.subscription?.close());
    this.lease = lease;
    this.log('info', `projection ${this.projection.name}: lease taken`);
    return true;
  }

  private async releaseLease(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
    if (this.ownLeases && this.stopping) {
      await this.ownLeases.close();
      this.ownLeases = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }
}
