import {
  byOccurrence,
  mergeSegments,
  type Segment,
  type TimelineSpec,
} from '../staff-transcript/timeline-segments.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export interface SessionDeliveryState {
  readonly sessionId: string;
  readonly programmeId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly jurisdictions: readonly string[];
  readonly trainers: readonly string[];
  readonly status: 'scheduled' | 'closed' | 'cancelled';
}

export const SESSION_DELIVERY_EVENTS = [
  'SessionScheduled',
  'SessionTrainerReplaced',
  'SessionClosed',
  'SessionCancelled',
];

/** A (cascade) session and who delivers it, over business time; key: sessionId. */
export const sessionDeliveryTimeline: TimelineSpec<SessionDeliveryState> = {
  table: 'sessions',
  columns: columnsOf({
    session_id: 'text',
    programme_id: 'text',
    starts_at: 'timestamptz',
    ends_at: 'timestamptz',
    jurisdictions: 'text[]',
    trainers: 'text[]',
    status: 'text',
  }),
  keysOf: (event) =>
    SESSION_DELIVERY_EVENTS.includes(event.type)
      ? [String((event.data as { sessionId: unknown }).sessionId)]
      : [],
  timeline: (facts) => {
    const segments: Segment<SessionDeliveryState>[] = [];
    let state: SessionDeliveryState | null = null;
    const ordered = byOccurrence(facts);
    ordered.forEach((fact, i) => {
      const d = fact.data as Record<string, unknown>;
      if (fact.type === 'SessionScheduled') {
        state = {
          sessionId: String(d.sessionId),
          programmeId: String(d.programmeId),
          startsAt: new Date(String(d.startsAt)).toISOString(),
          endsAt: new Date(String(d.endsAt)).toISOString(),
          jurisdictions: (d.jurisdictions as string[]) ?? [],
          trainers: (d.trainers as string[]) ?? [],
          status: 'scheduled',
        };
      } else if (state && fact.type === 'SessionTrainerReplaced') {
        // Who delivers it changes from the replacement's business time on; before, the replaced one did.
        const { replaced, replacement } = d as { replaced: string; replacement: string };
        const trainers: readonly string[] = state.trainers;
        state = { ...state, trainers: trainers.map((t) => (t === replaced ? replacement : t)) };
      } else if (state) {
        state = { ...state, status: fact.type === 'SessionClosed' ? 'closed' : 'cancelled' };
      }
      const next = ordered.slice(i + 1).find((f) => f.occurredAt > fact.occurredAt);
      if (!state || ordered.slice(i + 1).some((f) => f.occurredAt === fact.occurredAt)) return;
      segments.push({ validFrom: fact.occurredAt, validTo: next?.occurredAt ?? null, state });
    });
    return mergeSegments(segments);
  },
  values: (_key, s) => [
    s.sessionId,
    s.programmeId,
    s.startsAt,
    s.endsAt,
    s.jurisdictions,
    s.trainers,
    s.status,
  ],
};
