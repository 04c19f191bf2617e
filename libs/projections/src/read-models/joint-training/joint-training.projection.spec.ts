import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../bitemporal/history.js';
import { attendanceTimeline } from './joint-training.timelines.js';

const START = '2025-01-01T09:00:00.000Z';
const LATER = '2025-01-02T09:00:00.000Z';

describe('joint training attendance timeline', () => {
  const scheduled = fact('SessionScheduled', { startsAt: START, jurisdictions: ['AL'] });
  const enrolled = fact('ParticipantEnrolled', { staffId: 's1', agency: 'prison', jurisdiction: 'AL' });

  it('each participant’s attendance from its business time until re-recorded', () => {
    const present = fact('AttendanceRecorded', { staffId: 's1', attendance: 'present' }, LATER);
    expect(
      attendanceTimeline([
        scheduled,
        enrolled,
        fact('AttendanceRecorded', { staffId: 's1', attendance: 'absent' }),
        present,
      ]),
    ).toEqual([
      { validFrom: START, validTo: LATER, values: ['s1', 'prison', 'AL', 'absent', START, ['AL']] },
      { validFrom: LATER, validTo: null, values: ['s1', 'prison', 'AL', 'present', START, ['AL']] },
    ]);
  });

  it('a voided attendance never counted; a cancelled session has none', () => {
    const attended = fact('AttendanceRecorded', { staffId: 's1', attendance: 'present' });
    expect(
      attendanceTimeline([
        scheduled,
        enrolled,
        attended,
        fact('RecordVoided', { targetEventId: attended.eventId }),
      ]),
    ).toEqual([]);
    expect(attendanceTimeline([scheduled, enrolled, attended, fact('SessionCancelled', {})])).toEqual([]);
  });

  function fact(type: string, data: Record<string, unknown>, occurredAt = START): Fact {
    return {
      eventId: `${type}-${occurredAt}-${JSON.stringify(data)}`,
      type,
      occurredAt,
      recordedAt: occurredAt,
      data,
    };
  }
});
