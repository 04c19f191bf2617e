/**
 * The in-memory log of the EventStoreDB protocol test double: streams, the `$all` order and the
 * append rules of EventStoreDB's documentation (optimistic concurrency, idempotence by event id).
 * No gRPC here; esdb-streams.service.ts translates the protocol messages to and from these calls.
 */

export interface StoredEvent {
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  /** Mutable only through {@link EsdbLog.tamper}. */
  data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB sends `created`. */
  readonly created: bigint;
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number };

export type AppendOutcome =
  | {
      readonly kind: 'written';
      readonly revision: number;
      readonly commit: bigint;
      readonly prepare: bigint;
    }
  /** EventStoreDB acknowledges a repeated write without writing it again. */
  | { readonly kind: 'idempotent'; readonly revision: number }
  | { readonly kind: 'wrong_expected_version'; readonly current: number | null };

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const comparePosition = (a: LogPosition, b: LogPosition): number =>
  a.commit !== b.commit
    ? a.commit < b.commit
      ? -1
      : 1
    : a.prepare === b.prepare
      ? 0
      : a.prepare < b.prepare
        ? -1
        : 1;

const TICKS_PER_MS = 10_000n;
/** Where the first record goes: EventStoreDB's log never starts at 0 either (its own records come first). */
const FIRST_POSITION = 1024n;
/** Bytes per record besides its payload, so that positions look like log offsets. */
const RECORD_OVERHEAD = 128n;

export class EsdbLog {
  /** Every event in `$all` order. */
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private nextPosition = FIRST_POSITION;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly clockMs: () => number = Date.now) {}

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  append(stream: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const events = this.streams.get(stream) ?? [];
    const current = events.length === 0 ? null : events.length - 1;
    const idempotence = this.checkIdempotence(events, expected, proposed);
    if (idempotence === 'repeated')
      return { kind: 'idempotent', revision: this.repeatedRevision(events, proposed) };
    if (idempotence === 'corrupted' || !this.satisfies(expected, current)) {
      return { kind: 'wrong_expected_version', current };
    }
    if (proposed.length === 0) return { kind: 'idempotent', revision: current ?? -1 };
    // Events of one write share the commit position of the write and have their own prepare
    // positions, like a multi-event transaction in EventStoreDB's log.
    const commit = this.nextPosition;
    const created = BigInt(this.clockMs()) * TICKS_PER_MS;
    let last: StoredEvent | undefined;
    for (const event of proposed) {
      const prepare = this.nextPosition;
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + event.type.length);
      last = { ...event, stream, revision: events.length, created, commit, prepare };
      events.push(last);
      this.all.push(last);
    }
    this.streams.set(stream, events);
    for (const wake of [...this.waiters]) wake();
    return { kind: 'written', revision: last!.revision, commit, prepare: last!.prepare };
  }

  /** Resolves at the next append, or when `signal` aborts. */
  nextAppend(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  /** Index in {@link all} of the first event at or after `position`. */
  indexAtOrAfter(position: LogPosition): number {
    const index = this.all.findIndex((event) => comparePosition(event, position) >= 0);
    return index === -1 ? this.all.length : index;
  }

  /** Alters the stored data of one event in place: its metadata (and any hash in it) stays. */
  tamper(stream: string, revision: number, data: unknown): void {
    const event = this.streams.get(stream)?.[revision];
    if (!event) throw new Error(`The test double has no event ${stream}@${revision} to tamper with.`);
    event.data = Buffer.from(JSON.stringify(data), 'utf8');
  }

  private satisfies(expected: ExpectedState, current: number | null): boolean {
    switch (expected.kind) {
      case 'any':
        return true;
      case 'no_stream':
        return current === null;
      case 'stream_exists':
        return current !== null;
      case 'revision':
        return current === expected.revision;
    }
  }

  /**
   * EventStoreDB's idempotence: the write is recognised as a repeat when its event ids are already
   * in the stream, in order, where the write would have put them (at the expected revision + 1, or,
   * for `any` and `stream_exists`, where the first id is found). When only some of them match, the
   * write is refused as a wrong expected version.
   */
  private checkIdempotence(
    events: readonly StoredEvent[],
    expected: ExpectedState,
    proposed: readonly ProposedEvent[],
  ): 'new' | 'repeated' | 'corrupted' {
    if (proposed.length === 0) return 'new';
    const start = this.repeatStart(events, expected, proposed[0].id);
    if (start === null || start >= events.length || events[start].id !== proposed[0].id) return 'new';
    const all = proposed.every((event, i) => events[start + i]?.id === event.id);
    return all ? 'repeated' : 'corrupted';
  }

  private repeatStart(
    events: readonly StoredEvent[],
    expected: ExpectedState,
    firstId: string,
  ): number | null {
    switch (expected.kind) {
      case 'no_stream':
        return 0;
      case 'revision':
        return expected.revision + 1;
      case 'any':
      case 'stream_exists': {
        const index = events.findIndex((event) => event.id === firstId);
        return index === -1 ? null : index;
      }
    }
  }

  private repeatedRevision(events: readonly StoredEvent[], proposed: readonly ProposedEvent[]): number {
    const lastId = proposed[proposed.length - 1].id;
    return events.findIndex((event) => event.id === lastId);
  }
}
