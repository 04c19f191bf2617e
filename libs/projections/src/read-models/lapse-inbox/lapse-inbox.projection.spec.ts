import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { acknowledgementRow, lapseRow } from './lapse-inbox.rows.js';

const event = (type: string, data: object, eventId = 'e1'): RecordedEvent =>
  ({
    eventId,
    type,
    data,
    metadata: { occurredAt: '2025-01-02T00:00:00.000Z' },
    recordedAt: '2025-01-02T00:00:01.000Z',
  }) as unknown as RecordedEvent;

describe('lapse inbox rows', () => {
  it('keys a lapse by its event id, which the acknowledgement names', () => {
    const lapse = lapseRow(
      event(
        'MemberQualificationLapsed',
        { teamId: 't1', staffId: 's1', certificationId: 'c1', cause: 'revoked' },
        'l-1',
      ),
    );
    expect(lapse).toEqual({
      lapseId: 'l-1',
      teamId: 't1',
      staffId: 's1',
      certificationId: 'c1',
      cause: 'revoked',
      occurredAt: '2025-01-02T00:00:00.000Z',
      recordedAt: '2025-01-02T00:00:01.000Z',
    });
    expect(
      acknowledgementRow(event('LapseAcknowledged', { lapseId: 'l-1', acknowledgedBy: 'mgr', note: null })),
    ).toEqual({
      lapseId: 'l-1',
      acknowledgedBy: 'mgr',
      acknowledgedAt: '2025-01-02T00:00:00.000Z',
      note: null,
    });
  });
});
