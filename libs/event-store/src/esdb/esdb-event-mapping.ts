import type { EventData, JSONType, ResolvedEvent } from '@eventstore/db-client';
import { canonicalize } from 'json-canonicalize';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port.js';
import { formatPosition } from './esdb-position.js';

/**
 * Keys the adapter adds to an event's metadata JSON besides the caller's {@link EventMetadata}:
 * EventStoreDB's own correlation conventions, and the event's link in the stream's hash chain.
 * They are removed again on read, so the metadata a reader gets is the metadata that was hashed.
 */
const CORRELATION = '$correlationId';
const CAUSATION = '$causationId';
const HASH = 'hash';

export function toEventData(event: NewEvent, hash: string): EventData {
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    // Any JSON value is valid data; the client's type admits objects, arrays and strings only.
    data: event.data as JSONType,
    metadata: {
      ...event.metadata,
      [CORRELATION]: event.metadata.correlationId,
      [CAUSATION]: event.metadata.causationId,
      [HASH]: hash,
    },
  };
}

/** The same event content, compared as canonical JSON (idempotent retries must match exactly). */
export const sameContent = (a: Pick<NewEvent, 'type' | 'data' | 'metadata'>, b: NewEvent): boolean =>
  a.type === b.type &&
  canonicalize(a.data) === canonicalize(b.data) &&
  canonicalize(a.metadata) === canonicalize(b.metadata);

/**
 * Maps a client event to the port's, or null for what the port never shows: system events
 * (`$`-prefixed types or streams, links), non-JSON events, and streams outside `streamPrefix`.
 */
export function toRecordedEvent(resolved: ResolvedEvent, streamPrefix: string): RecordedEvent | null {
  const event = resolved.event;
  if (!event || !event.isJson || event.type.startsWith('$') || !event.streamId.startsWith(streamPrefix)) {
    return null;
  }
  const stream = event.streamId.slice(streamPrefix.length);
  if (stream.startsWith('$')) return null;
  if (!event.position)
    throw new Error(`EventStoreDB returned ${event.streamId}@${event.revision} without a position.`);
  const {
    [CORRELATION]: _correlation,
    [CAUSATION]: _causation,
    [HASH]: hash,
    ...metadata
  } = isObject(event.metadata) ? event.metadata : {};
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
    stream,
    revision: Number(event.revision),
    position: formatPosition(event.position),
    recordedAt: event.created.toISOString(),
    hash: typeof hash === 'string' ? hash : '',
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
