import { describe, expect, it } from '@jest/globals';
import { certificationTimeline, memberTimeline, trainingTimeline } from './staff-timelines.js';
import { recordedVersions, withoutVoided, type Fact, type TimelineSpec } from './timeline-segments.js';

let n = 0;
const fact = (type: string, occurredAt: string, data: object, recordedAt = occurredAt): Fact => ({
  eventId: `e${++n}`,
  type,
  occurredAt,
  recordedAt,
  data: { staffId: 's1', certificationId: 'c1', ...data } as Record<string, unknown>,
});
const award = (validFrom = '2024-01-01T00:00:00.000Z') =>
  fact('CertificationAwarded', validFrom, {
    competency: 'dynamic-security',
    level: 'awareness',
    validFrom,
    validUntil: '2026-01-01T00:00:00.000Z',
    windowOpensAt: '2025-11-02T00:00:00.000Z',
    evidence: { kind: 'external', issuer: 'Academy', reference: 'r' },
    frameworkVersion: 'v1',
  });
const statuses = (segments: { validFrom: string; validTo: string | null; state: { status: string } }[]) =>
  segments.map((s) => [s.validFrom.slice(0, 10), s.validTo?.slice(0, 10) ?? null, s.state.status]);

describe('staff transcript timelines', () => {
  it('gives a certification valid, then in its window, then expired by the clock', () => {
    expect(statuses(certificationTimeline.timeline([award()]))).toEqual([
      ['2024-01-01', '2025-11-02', 'valid'],
      ['2025-11-02', '2026-01-01', 'window-open'],
      ['2026-01-01', null, 'expired'],
    ]);
  });

  it('extends it from a renewal on, and suspends, reinstates and revokes when they occurred', () => {
    const renewed = fact('CertificationRenewed', '2025-12-01T00:00:00.000Z', {
      validFrom: '2025-12-01T00:00:00.000Z',
      validUntil: '2027-12-01T00:00:00.000Z',
      windowOpensAt: '2027-10-02T00:00:00.000Z',
      evidence: { kind: 'external', issuer: 'Academy', reference: 'r2' },
      frameworkVersion: 'v1',
    });
    const facts = [
      award(),
      renewed,
      fact('CertificationSuspended', '2026-03-01T00:00:00.000Z', { reason: 'x' }),
      fact('CertificationReinstated', '2026-04-01T00:00:00.000Z', { reason: null }),
      fact('CertificationRevoked', '2026-06-01T00:00:00.000Z', { reason: 'y' }),
    ];
    expect(statuses(certificationTimeline.timeline(facts))).toEqual([
      ['2024-01-01', '2025-11-02', 'valid'],
      ['2025-11-02', '2025-12-01', 'window-open'],
      ['2025-12-01', '2026-03-01', 'valid'],
      ['2026-03-01', '2026-04-01', 'suspended'],
      ['2026-04-01', '2026-06-01', 'valid'],
      ['2026-06-01', null, 'revoked'],
    ]);
  });

  it('forgets a voided record entirely', () => {
    const awarded = award();
    const voided = fact('RecordVoided', '2024-02-01T00:00:00.000Z', { targetEventId: awarded.eventId });
    expect(certificationTimeline.timeline(withoutVoided([awarded, voided]))).toEqual([]);
  });

  it('follows a member through transfer and departure in business-time order, whatever the recording order', () => {
    const registered = fact('StaffMemberRegistered', '2020-01-01T00:00:00.000Z', {
      agency: 'prison',
      jurisdiction: 'AL',
      institution: 'A',
      role: 'trainer',
    });
    const left = fact('StaffMemberLeft', '2024-01-01T00:00:00.000Z', {});
    const backdatedTransfer = fact('StaffMemberTransferred', '2022-01-01T00:00:00.000Z', {
      agency: 'probation',
      jurisdiction: 'AL',
      institution: 'B',
    });
    const segments = memberTimeline.timeline([registered, left, backdatedTransfer]);
    expect(segments.map((s) => [s.validFrom.slice(0, 4), s.state.institution, s.state.status])).toEqual([
      ['2020', 'A', 'active'],
      ['2022', 'B', 'active'],
      ['2024', 'B', 'left'],
    ]);
  });

  it("keeps a person's enrolment, attendance and assessment in one session", () => {
    const data = { sessionId: 'x' };
    const segments = trainingTimeline.timeline([
      fact('ParticipantEnrolled', '2024-01-01T00:00:00.000Z', data),
      fact('AttendanceRecorded', '2024-02-01T00:00:00.000Z', { ...data, attendance: 'present', hours: 7.5 }),
      fact('AssessmentRecorded', '2024-02-02T00:00:00.000Z', { ...data, result: 'passed', score: 81 }),
    ]);
    expect(segments.at(-1)).toEqual({
      validFrom: '2024-02-02T00:00:00.000Z',
      validTo: null,
      state: {
        staffId: 's1',
        sessionId: 'x',
        enrolment: 'enrolled',
        attendance: 'present',
        hours: 7.5,
        result: 'passed',
        score: 81,
      },
    });
  });

  it('records a new version only when a fact changes the timeline (notices change nothing)', () => {
    const spec = certificationTimeline as TimelineSpec<unknown>;
    const awarded = award();
    const notice = fact(
      'CertificationExpiryWarned',
      '2025-12-02T00:00:00.000Z',
      {},
      '2025-12-02T00:00:00.000Z',
    );
    expect(recordedVersions({ spec, earlier: [awarded], batch: [notice] })).toEqual([]);
    const revoked = fact(
      'CertificationRevoked',
      '2025-01-01T00:00:00.000Z',
      { reason: 'r' },
      '2025-01-02T00:00:00.000Z',
    );
    const versions = recordedVersions({ spec, earlier: [], batch: [awarded, revoked] });
    expect(versions.map((v) => v.recordedAt)).toEqual([awarded.recordedAt, revoked.recordedAt]);
  });
});
