import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../bitemporal/history-spec.js';
import { attendanceTimeline, jointSessionTimeline } from './joint-training.timelines.js';

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

  describe('joint session timeline', () => {
    const DAY3 = '2025-01-03T09:00:00.000Z';
    const DAY4 = '2025-01-04T09:00:00.000Z';
    const probation = fact('ParticipantEnrolled', { staffId: 's2', agency: 'probation', jurisdiction: 'RS' });
    const other = fact('ParticipantEnrolled', { staffId: 's3', agency: 'prison', jurisdiction: 'AL' });

    it('joint while a prison and a probation attendance (not absent) both stand', () => {
      expect(
        jointSessionTimeline([
          scheduled,
          enrolled,
          probation,
          other,
          fact('AttendanceRecorded', { staffId: 's1', attendance: 'present' }),
          fact('AttendanceRecorded', { staffId: 's2', attendance: 'partial' }, LATER),
          // s1 marked absent, but s3 (prison too) attended: still joint, in one span.
          fact('AttendanceRecorded', { staffId: 's3', attendance: 'present' }, DAY3),
          fact('AttendanceRecorded', { staffId: 's1', attendance: 'absent' }, DAY3),
          fact('AttendanceRecorded', { staffId: 's2', attendance: 'absent' }, DAY4),
        ]),
      ).toEqual([{ validFrom: LATER, validTo: DAY4, values: [START, ['AL']] }]);
    });

    it('never joint with one agency, a voided attendance or a cancelled session', () => {
      const attended = fact('AttendanceRecorded', { staffId: 's2', attendance: 'present' });
      const prison = fact('AttendanceRecorded', { staffId: 's1', attendance: 'present' });
      expect(jointSessionTimeline([scheduled, enrolled, other, prison])).toEqual([]);
      expect(
        jointSessionTimeline([
          scheduled,
          enrolled,
          probation,
          prison,
          attended,
          fact('RecordVoided', { targetEventId: attended.eventId }),
        ]),
      ).toEqual([]);
      expect(jointSessionTimeline([scheduled, enrolled, probation, prison, attended])).toEqual([
        { validFrom: START, validTo: null, values: [START, ['AL']] },
      ]);
      expect(
        jointSessionTimeline([
          scheduled,
          enrolled,
          probation,
          prison,
          attended,
          fact('SessionCancelled', {}),
        ]),
      ).toEqual([]);
    });
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
