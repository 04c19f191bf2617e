import type { Actor } from '@cadre/kernel';

/**
 * The event store port. Every fact Cadre knows is an event appended here; every read model is
 * derived from what this port returns. Adapters: PostgreSQL (production and the embedded default)
 * and EventStoreDB. Both pass the one contract suite in `test/event-store/`.
 */

/**
 * A global position: a pair of numbers (EventStoreDB's commit and prepare positions, PostgreSQL's
 * transaction id and sequence number) in the one fixed-width spelling of log-position.ts, so the
 * positions a store issues compare as strings in log order (the feed cursor and the CloudEvents
 * `sequence` are this string). A position read back from storage may be in an older spelling:
 * compare with {@link EventStore.comparePositions}, and normalise with
 * {@link EventStore.parsePosition}, rather than compare strings of unknown origin.
 */
export type Position = string;

/** What the caller believes about the stream before appending. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** Who acted: never a name, only the token's subject, roles and jurisdictions (the domain's type). */

export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: Actor | null;
  /** Business time, ISO 8601 UTC. */
  readonly occurredAt: string;
  readonly schemaVersion: number;
  /** Why, when the event is back-dated or corrective. */
  readonly reason?: string;
  /**
   * The `Idempotency-Key` of the request whose command appended it, and that key's scope (caller,
   * method and path): a retry whose claim lapsed finds what the command wrote (decision 0019).
   */
  readonly idempotencyKey?: string;
  readonly idempotencyScope?: string;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID chosen by the writer: appending the same event twice is a no-op. */
  readonly eventId: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly stream: string;
  /** 0 for the stream's first event. */
  readonly revision: number;
  readonly position: Position;
  /** Record time, stamped by the store, ISO 8601 UTC. */
  readonly recordedAt: string;
  /** Hex sha256 of the previous hash and this event's canonical form (see hash-chain.ts). */
  readonly hash: string;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as the next expected revision. */
  readonly nextRevision: number;
  /** The global position of the last event appended. */
  readonly position: Position;
}

export interface EventFilter {
  /** Keep events whose type starts with one of these. */
  readonly eventTypePrefixes?: readonly string[];
  /** Keep events whose stream category (the part of the name before the first `-`) is one of these. */
  readonly streamCategories?: readonly string[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** First revision returned (inclusive); defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  /** Only events recorded at or before this instant: what was known then. */
  readonly untilRecordedAt?: string | Date;
  readonly maxCount?: number;
  /**
   * The events exactly as stored, before upcasting (decision 0014): what the hash chain covers.
   * For integrity verification only; every other reader wants the current form.
   */
  readonly stored?: boolean;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. From the beginning when absent. */
  readonly after?: Position;
  readonly limit?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive: resume after this position (a checkpoint). From the beginning when absent. */
  readonly after?: Position;
  readonly filter?: EventFilter;
  /** Most events per batch handed to the consumer. */
  readonly batchSize?: number;
}

/**
 * Catch-up then live. Iterate it to receive batches in global order, each batch non-empty;
 * the store reads ahead at most one batch, so a slow consumer slows the reading (back-pressure).
 * Never skips an event that a slower concurrent writer commits later, never repeats one.
 * When the store becomes unreachable, the subscription retries and resumes where it stopped.
 */
export interface Subscription extends AsyncIterable<readonly RecordedEvent[]> {
  close(): Promise<void>;
}

/** Where an event was recorded: its stream and its revision there. */
export interface EventLocation {
  readonly stream: string;
  readonly revision: number;
}

export interface IntegrityProblem {
  readonly revision: number;
  readonly kind: 'hash_mismatch' | 'revision_gap';
  readonly detail: string;
}

export interface StreamIntegrity {
  readonly stream: string;
  readonly ok: boolean;
  readonly eventCount: number;
  readonly headRevision: number | null;
  readonly headHash: string | null;
  readonly problems: readonly IntegrityProblem[];
}

export interface EventStore {
  append(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Events of one stream; an unknown stream reads as empty. Every read (this one, readAll and
   * subscriptions) returns events upcast to their type's current schema version; the hash, the
   * revision and the position are the stored event's.
   */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** The position of the last event a reader may see now, or null when the store is empty. */
  headPosition(): Promise<Position | null>;
  /** Negative, zero or positive, as `a` is before, at or after `b`. Throws InvalidPositionError. */
  comparePositions(a: Position, b: Position): number;
  /**
   * At most how many events lie after `from` (the start when null) up to and including `to`,
   * worked out from the two positions alone, without reading the log (lag metrics); null when
   * the store's positions do not tell (EventStoreDB's are byte offsets). An upper bound: it
   * counts events of every type.
   */
  distance(from: Position | null, to: Position): number | null;
  /**
   * The position in its current spelling, from this one or any older one the store issued (kept
   * cursors resume forever). Throws InvalidPositionError when `position` was not issued by this store.
   */
  parsePosition(position: string): Position;
  /**
   * Where the event with this id was recorded, or null when no stream holds it (an id that is not
   * a UUID included). Optional: an adapter without a cheap way to find it may leave it out; the
   * callers that need it (voiding a record by its event id) say so when it is missing.
   */
  locateEvent?(eventId: string): Promise<EventLocation | null>;
  /** Recomputes the stream's hash chain from its first event. */
  verifyStream(stream: string): Promise<StreamIntegrity>;
  /** Round trip to the store, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
