import { CadreError } from '@cadre/kernel';
import type { ExpectedRevision } from './event-store.port.js';

/** The stream's revision was not the one the caller expected: nothing was written. */
export class WrongExpectedRevisionError extends CadreError {
  readonly category = 'precondition' as const;
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or `'no_stream'` when it has no event. */
    readonly actual: number | 'no_stream',
  ) {
    super(
      'EVENT_STORE.WRONG_EXPECTED_REVISION',
      `Stream ${stream} is at revision ${String(actual)}, not at the expected ${String(expected)}.`,
      { stream, expectedRevision: String(expected), actualRevision: String(actual) },
    );
  }
}

/** An event or a stream name the store refuses to record: nothing was written. */
export class InvalidEventError extends CadreError {
  readonly category = 'validation' as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('EVENT_STORE.INVALID_EVENT', message, { field });
  }
}

/** An event id already recorded with other content, or in another stream: nothing was written. */
export class DuplicateEventIdError extends CadreError {
  readonly category = 'conflict' as const;
  constructor(
    readonly eventId: string,
    stream: string,
  ) {
    super(
      'EVENT_STORE.DUPLICATE_EVENT_ID',
      `Event ${eventId} is already recorded with different content or in another stream than ${stream}.`,
      { eventId, stream },
    );
  }
}

/** A position string that this store did not issue. */
export class InvalidPositionError extends CadreError {
  readonly category = 'validation' as const;
  constructor(readonly position: string) {
    super('EVENT_STORE.INVALID_POSITION', `"${position}" is not a position of this event store.`, {
      position,
    });
  }
}

/** The store cannot be reached; the operation may be retried later. Nothing was half-written. */
export class EventStoreUnavailableError extends CadreError {
  readonly category = 'unavailable' as const;
  constructor(message: string, cause?: unknown) {
    super('EVENT_STORE.UNAVAILABLE', message);
    this.cause = cause;
  }
}
