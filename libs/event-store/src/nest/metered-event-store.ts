import type { EventStoreMetrics, AppendOutcome } from '@cadre/platform';
import type {
  AppendOptions,
  AppendResult,
  EventLocation,
  EventStore,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamIntegrity,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../event-store.errors.js';

/** A decorator around any adapter that times every append (`cadre_event_store_append_seconds`). */
export class MeteredEventStore implements EventStore {
  /** Present only when the adapter has it, so that callers can tell. */
  readonly locateEvent?: (eventId: string) => Promise<EventLocation | null>;

  constructor(
    private readonly inner: EventStore,
    private readonly metrics: EventStoreMetrics,
  ) {
    const locate = inner.locateEvent?.bind(inner);
    if (locate) this.locateEvent = locate;
  }

  async append(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const done = this.metrics.startAppend();
    try {
      const result = await this.inner.append(stream, events, options);
      done('ok');
      return result;
    } catch (error) {
      done(outcomeOf(error));
      throw error;
    }
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<Position | null> {
    return this.inner.headPosition();
  }

  comparePositions(a: Position, b: Position): number {
    return this.inner.comparePositions(a, b);
  }

  distance(from: Position | null, to: Position): number | null {
    return this.inner.distance(from, to);
  }

  parsePosition(position: string): Position {
    return this.inner.parsePosition(position);
  }

  verifyStream(stream: string): Promise<StreamIntegrity> {
    return this.inner.verifyStream(stream);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function outcomeOf(error: unknown): AppendOutcome {
  if (error instanceof WrongExpectedRevisionError) return 'conflict';
  if (error instanceof InvalidEventError || error instanceof DuplicateEventIdError) return 'invalid';
  if (error instanceof EventStoreUnavailableError) return 'unavailable';
  return 'error';
}
