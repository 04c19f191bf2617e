import { InvalidEventError } from './event-store.errors.js';
import type { NewEvent } from './event-store.port.js';

/** Largest canonical JSON of one event's data and metadata together. */
export const MAX_EVENT_BYTES = 1024 * 1024;
const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_.:@$-]{1,200}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,199}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The stream category: the part of the name before the first `-` (`staff-42` → `staff`). */
export const streamCategory = (stream: string): string => stream.slice(0, stream.indexOf('-'));

/** Refuses, before anything is written, what no adapter may record. */
export function validateAppend(stream: string, events: readonly NewEvent[]): void {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new InvalidEventError(
      `Stream name "${String(stream).slice(0, 80)}" is invalid: use "<category>-<id>" with letters, digits and _.:@$-.`,
      'stream',
    );
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('An append needs at least one event.', 'events');
  }
  const ids = new Set<string>();
  events.forEach((event, i) => {
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidEventError(`events[${i}].eventId must be a lower-case UUID.`, `events[${i}].eventId`);
    }
    if (ids.has(event.eventId)) {
      throw new InvalidEventError(
        `events[${i}].eventId repeats an id of the same append.`,
        `events[${i}].eventId`,
      );
    }
    ids.add(event.eventId);
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      throw new InvalidEventError(
        `events[${i}].type must be a non-empty name of letters, digits and _.:-.`,
        `events[${i}].type`,
      );
    }
    if (!isJsonValue(event.data)) {
      throw new InvalidEventError(`events[${i}].data is not JSON-serialisable.`, `events[${i}].data`);
    }
    if (!isJsonValue(event.metadata) || typeof event.metadata !== 'object' || event.metadata === null) {
      throw new InvalidEventError(`events[${i}].metadata is not a JSON object.`, `events[${i}].metadata`);
    }
  });
}

/** Throws when the event's canonical size is over the limit. */
export function checkEventSize(index: number, dataJson: string, metadataJson: string): void {
  const bytes = Buffer.byteLength(dataJson, 'utf8') + Buffer.byteLength(metadataJson, 'utf8');
  if (bytes > MAX_EVENT_BYTES) {
    throw new InvalidEventError(
      `events[${index}] is ${bytes} bytes; the most an event may carry is ${MAX_EVENT_BYTES}.`,
      `events[${index}].data`,
    );
  }
}

/** Plain JSON only: no undefined, functions, symbols, bigints, non-finite numbers, cycles or class instances. */
function isJsonValue(value: unknown, seen: Set<object> = new Set()): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      let ok: boolean;
      if (Array.isArray(value)) ok = value.every((item) => isJsonValue(item, seen));
      else {
        const proto = Object.getPrototypeOf(value) as unknown;
        ok =
          (proto === Object.prototype || proto === null) &&
          Object.values(value as Record<string, unknown>).every((item) => isJsonValue(item, seen));
      }
      seen.delete(value);
      return ok;
    }
    default:
      return false;
  }
}
