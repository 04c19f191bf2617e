import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../staff-transcript/timeline-segments.js';
import { sessionDeliveryTimeline } from './session-delivery.timeline.js';

const fact = (type: string, occurredAt: string, data: object = {}): Fact => ({
  eventId: `${type}-${occurredAt}`,
  type,
  occurredAt,
  recordedAt: occurredAt,
  data: { sessionId: 's1', ...data } as Record<string, unknown>,
});

describe('session delivery timeline (the cascade sessions of a trainer)', () => {
  it('keeps who delivers a session and how it ended', () => {
    const segments = sessionDeliveryTimeline.timeline([
      fact('SessionScheduled', '2024-01-01T00:00:00.000Z', {
        programmeId: 'p1',
        startsAt: '2024-02-01T08:00:00Z',
        endsAt: '2024-02-02T16:00:00Z',
        jurisdictions: ['AL'],
        trainers: ['t1', 't2'],
      }),
      fact('SessionClosed', '2024-02-02T17:00:00.000Z'),
    ]);
    expect(segments.map((s) => [s.validFrom, s.validTo, s.state.status, s.state.trainers])).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-02-02T17:00:00.000Z', 'scheduled', ['t1', 't2']],
      ['2024-02-02T17:00:00.000Z', null, 'closed', ['t1', 't2']],
    ]);
  });

  it('hands the session over to a replacement trainer from the replacement on', () => {
    const segments = sessionDeliveryTimeline.timeline([
      fact('SessionScheduled', '2024-01-01T00:00:00.000Z', {
        programmeId: 'p1',
        startsAt: '2024-02-01T08:00:00Z',
        endsAt: '2024-02-02T16:00:00Z',
        jurisdictions: ['AL'],
        trainers: ['t1', 't2'],
      }),
      fact('SessionTrainerReplaced', '2024-02-01T12:00:00.000Z', { replaced: 't1', replacement: 't3' }),
      fact('SessionClosed', '2024-02-02T17:00:00.000Z'),
    ]);
    expect(segments.map((s) => [s.validFrom, s.state.status, s.state.trainers])).toEqual([
      ['2024-01-01T00:00:00.000Z', 'scheduled', ['t1', 't2']],
      ['2024-02-01T12:00:00.000Z', 'scheduled', ['t3', 't2']],
      ['2024-02-02T17:00:00.000Z', 'closed', ['t3', 't2']],
    ]);
  });

  it('ignores a close of a session it never saw scheduled', () => {
    expect(sessionDeliveryTimeline.timeline([fact('SessionCancelled', '2024-01-01T00:00:00.000Z')])).toEqual(
      [],
    );
  });
});
