import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@cadre/event-store';

/*
 * The bitemporal int specs' instants and staff facts: business times (JAN … APR) and the record
 * times after them (R1 … R4) at which what happened then is learned, in any order.
 */
export const INSTANTS = {
  JAN: '2025-01-01T00:00:00.000Z',
  FEB: '2025-02-01T00:00:00.000Z',
  FEB_MID: '2025-02-15T00:00:00.000Z',
  MAR: '2025-03-01T00:00:00.000Z',
  APR: '2025-04-01T00:00:00.000Z',
  R1: '2025-05-01T00:00:00.000Z',
  R2: '2025-05-02T00:00:00.000Z',
  R3: '2025-05-03T00:00:00.000Z',
  R4: '2025-05-04T00:00:00.000Z',
} as const;

/** A fact of staff member s1 (probation, AL unless `data` says otherwise), on its stream by default. */
export function staffFact(
  type: string,
  occurredAt: string,
  recordedAt: string,
  data: object,
  stream = 'staff-s1',
): RecordedEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { staffId: 's1', agency: 'probation', jurisdiction: 'AL', ...data },
    metadata: { correlationId: 'c', causationId: null, actor: null, occurredAt, schemaVersion: 1 },
    stream,
    revision: 0,
    position: '0',
    recordedAt,
    hash: 'h',
  };
}
