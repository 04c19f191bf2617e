import type { EventStore, Position, RecordedEvent, Subscription } from '@cadre/event-store';
import { errorForLog } from '@cadre/platform/logging';
import { SharedConnectionLeases, type Lease, type LeaseProvider } from './leases.js';
import { filterOf } from './log-reading.js';
import { ALL_EVENTS } from './projection.js';

export type RunnerState = 'idle' | 'waiting-for-lease' | 'running' | 'failed' | 'stopped';

export interface RunnerStatus {
  readonly name: string;
  readonly state: RunnerState;
  /** The checkpoint as this runner knows it; null before it has read it, or at the start of the log. */
  readonly position: string | null;
  readonly lastRecordedAt: string | null;
  /** Whether the runner has read its checkpoint since it took its lease (its position means something). */
  readonly checkpointKnown: boolean;
  readonly appliedSinceStart: number;
  readonly error: string | null;
}

/** Where a consumer stands when it takes its lease: its checkpoint. */
export interface ConsumerCheckpoint {
  readonly position: Position | null;
  readonly lastRecordedAt: string | null;
}

/**
 * What follows the log under a {@link SubscriptionRunner}: a read model, a process manager, a
 * webhook subscription's delivery. The runner owns the loop (lease, subscription, batches,
 * backoff, status); the consumer owns what a batch does and where its checkpoint is kept.
 */
export interface LogConsumer {
  /** Stable name: the lease's, the status's and the logs'. */
  readonly name: string;
  /** The event types it reads (prefixes); `[ALL_EVENTS]` reads every event. */
  readonly handles: readonly string[];
  /** Called with the lease held, before following: prepares, and says where the checkpoint is. */
  open(): Promise<ConsumerCheckpoint>;
  /**
   * Handles one batch (only events of its types; possibly empty when the store's batch held
   * none) and moves the checkpoint from `expected` to `last` — refusing with
   * {@link CheckpointMovedError} when the checkpoint is no longer at `expected`.
   */
  handle(events: readonly RecordedEvent[], expected: Position | null, last: RecordedEvent): Promise<void>;
  /** Called when the runner stops: cut short any wait (a retry's backoff). */
  interrupt?(): void;
}

/** Another runner moved the checkpoint: this one lost its lease and must start over. */
export class CheckpointMovedError extends Error {}

export interface SubscriptionRunnerOptions {
  readonly batchSize?: number;
  /** How often a runner without the lease tries to take it (a dead holder's lease frees at once). */
  readonly leaseRetryMs?: number;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
  /** Called after each handled batch (metrics). */
  readonly onBatch?: (status: RunnerStatus, applied: number) => void;
  /** Where leases come from: the process's one connection (the worker's), or one of its own. */
  readonly leases?: LeaseProvider;
  /** Where its lease connection comes from when `leases` is not given. */
  readonly connectionString?: string;
}

/**
 * Follows the log for one consumer — the one way Cadre follows the log (decision 0016): takes the
 * consumer's lease (a session advisory lock, so a dead process frees it at once and another
 * worker takes over within `leaseRetryMs`), subscribes from the consumer's checkpoint, and hands
 * it batch after batch; after an error it backs off and starts over from the checkpoint.
 */
export class SubscriptionRunner {
  private state: RunnerState = 'idle';
  private position: string | null = null;
  private lastRecordedAt: string | null = null;
  private checkpointKnown = false;
  private applied = 0;
  private error: string | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private lease: Lease | null = null;
  private ownLeases: LeaseProvider | null = null;
  private wake: (() => void) | null = null;

  constructor(
    protected readonly store: EventStore,
    readonly consumer: LogConsumer,
    private readonly options: SubscriptionRunnerOptions = {},
  ) {}

  get name(): string {
    return this.consumer.name;
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run().finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.consumer.interrupt?.();
    await this.subscription?.close();
    await this.loop;
    this.state = 'stopped';
  }

  status(): RunnerStatus {
    return {
      name: this.consumer.name,
      state: this.state,
      position: this.position,
      lastRecordedAt: this.lastRecordedAt,
      checkpointKnown: this.checkpointKnown,
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
        const checkpoint = await this.consumer.open();
        this.position = checkpoint.position;
        this.lastRecordedAt = checkpoint.lastRecordedAt;
        this.checkpointKnown = true;
        await this.follow();
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        this.state = 'failed';
        // As a log line shows it (errorForLog): status reaches /health/ready, and PostgreSQL quotes
        // the offending value, which may be personal data, in its message.
        this.error = String(errorForLog(error).message);
        this.log('error', `${this.consumer.name} stopped on an error; retrying`, { err: error });
        await this.sleep(Math.min(30_000, 500 * 2 ** failures++));
      } finally {
        await this.releaseLease();
      }
    }
  }

  private async follow(): Promise<void> {
    const all = this.consumer.handles.includes(ALL_EVENTS);
    const handles = new Set(this.consumer.handles);
    this.subscription = this.store.subscribeToAll({
      after: this.position ?? undefined,
      filter: filterOf(this.consumer.handles),
      batchSize: this.options.batchSize ?? 500,
    });
    // stop() may have come while the consumer was opening, before there was a subscription to close.
    if (this.stopping) await this.subscription.close();
    try {
      for await (const batch of this.subscription) {
        if (this.stopping || !this.lease?.held) break;
        const events = all ? batch : batch.filter((event) => handles.has(event.type));
        const last = batch[batch.length - 1]!;
        await this.consumer.handle(events, this.position, last);
        this.position = last.position;
        this.lastRecordedAt = last.recordedAt;
        this.applied += events.length;
        this.error = null;
        this.options.onBatch?.(this.status(), events.length);
      }
    } finally {
      await this.subscription.close();
      this.subscription = null;
    }
  }

  private async acquireLease(): Promise<boolean> {
    const provider = this.options.leases ?? (this.ownLeases ??= this.privateLeases());
    const lease = await provider.tryAcquire(this.consumer.name);
    if (!lease) return false;
    // The lease is gone with its connection: stop following; the checkpoint check guards the rest.
    lease.onLost(() => void this.subscription?.close());
    this.lease = lease;
    this.log('info', `${this.consumer.name}: lease taken`);
    return true;
  }

  private privateLeases(): LeaseProvider {
    if (!this.options.connectionString) throw new Error(`${this.consumer.name}: no lease provider`);
    return new SharedConnectionLeases(this.options.connectionString, `cadre-lease-${this.consumer.name}`);
  }

  private async releaseLease(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    this.checkpointKnown = false;
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
