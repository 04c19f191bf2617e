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
    // Recorded before decision 0010: read as stored, since it occurred, naming no requirement.
    expect(lapse).toEqual({
      lapseId: 'l-1',
      kind: 'member-lapsed',
      teamId: 't1',
      staffId: 's1',
      teamRole: null,
      certificationId: 'c1',
      competency: null,
      cause: 'revoked',
      since: '2025-01-02T00:00:00.000Z',
      unmet: [],
      detail: null,
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

  it('names the team role, the competency and its certification for a lapse, and what a team lost', () => {
    const unmet = [
      {
        role: 'probation-officer',
        competency: 'radicalisation-awareness',
        requiredLevel: 'specialised',
        held: {
          certificationId: 'c1',
          level: 'specialised',
          validUntil: '2025-01-01T00:00:00.000Z',
          standing: 'expired',
        },
      },
    ];
    const lapsed = {
      teamId: 't1',
      staffId: 's1',
      teamRole: 'probation-officer',
      since: '2025-01-01T00:00:00.000Z',
      cause: 'expired',
      unmet,
      detail: null,
      judgedAt: '2025-01-02T00:00:00.000Z',
    };
    expect(lapseRow(event('MemberLapsed', lapsed, 'l-2'))).toMatchObject({
      kind: 'member-lapsed',
      teamRole: 'probation-officer',
      competency: 'radicalisation-awareness',
      certificationId: 'c1',
      cause: 'expired',
      since: '2025-01-01T00:00:00.000Z',
      unmet,
    });
    const lost = {
      teamId: 't1',
      since: '2025-01-01T00:00:00.000Z',
      missing: [{ role: 'psychologist', required: 1, present: 0 }],
      agenciesMissing: [],
    };
    expect(lapseRow(event('TeamReadinessLost', lost, 'l-3'))).toMatchObject({
      kind: 'readiness-lost',
      staffId: null,
      cause: 'readiness-lost',
      unmet: { missing: lost.missing, agenciesMissing: [] },
    });
  });
});
