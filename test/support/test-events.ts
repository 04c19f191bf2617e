import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@cadre/event-store';

/** An event to append in a store-level test: a fresh id, the given type and data, fixed metadata. */
export function testEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
