import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../bitemporal/history-spec.js';
import {
  certificationTimeline,
  personHistoryRow,
  placementTimeline,
  requirementTimeline,
} from './coverage.timelines.js';

describe('coverage timelines', () => {
  it('placements: a back-dated transfer lands at its business date; departure closes the history', () => {
    const intervals = placementTimeline([
      fact('StaffMemberRegistered', JAN, {
        agency: 'prison',
        jurisdiction: 'AL',
        institution: 'A',
        role: 'officer',
      }),
      fact('StaffMemberLeft', MAR, {}),
      fact('StaffMemberTransferred', FEB, { agency: 'prison', jurisdiction: 'AL', institution: 'B' }),
    ]);
    expect(intervals).toEqual([
      { validFrom: JAN, validTo: FEB, values: ['AL', 'A', 'prison', 'officer'] },
      { validFrom: FEB, validTo: MAR, values: ['AL', 'B', 'prison', 'officer'] },
    ]);
  });

  it('certifications count from validFrom to validUntil, renewals extend, suspension and revocation cut', () => {
    const intervals = certificationTimeline([
      fact('CertificationAwarded', JAN, {
        certificationId: 'c1',
        competency: 'ds',
        level: 'expert',
        validFrom: JAN,
        validUntil: MAR,
      }),
      fact('CertificationRenewed', FEB, { certificationId: 'c1', validFrom: MAR, validUntil: MAY }),
      fact('CertificationSuspended', FEB, { certificationId: 'c1' }),
      fact('CertificationReinstated', MAR, { certificationId: 'c1' }),
      fact('CertificationRevoked', APR, { certificationId: 'c1' }),
    ]);
    expect(intervals).toEqual([
      { validFrom: JAN, validTo: FEB, values: ['c1', 'ds', 'expert', 2] },
      { validFrom: MAR, validTo: APR, values: ['c1', 'ds', 'expert', 2] },
    ]);
  });

  it('a voided award never counted; a voided renewal adds nothing', () => {
    const award = fact('CertificationAwarded', JAN, {
      certificationId: 'c1',
      competency: 'ds',
      level: 'awareness',
      validFrom: JAN,
      validUntil: FEB,
    });
    const renewal = fact('CertificationRenewed', FEB, {
      certificationId: 'c1',
      validFrom: FEB,
      validUntil: APR,
    });
    const voidOf = (target: Fact) => fact('RecordVoided', MAR, { targetEventId: target.eventId });
    expect(certificationTimeline([award, renewal, voidOf(renewal)])).toEqual([
      { validFrom: JAN, validTo: FEB, values: ['c1', 'ds', 'awareness', 0] },
    ]);
    expect(certificationTimeline([award, renewal, voidOf(award)])).toEqual([]);
  });

  it('requirements: the adopted version from its effectiveFrom, additions raise a level from theirs', () => {
    const intervals = requirementTimeline([
      fact('FrameworkAdopted', JAN, {
        jurisdiction: 'AL',
        version: 'v1',
        effectiveFrom: JAN,
        requirements: [{ role: 'psychologist', competency: 'vep', minLevel: 'awareness' }],
      }),
      fact('JurisdictionRequirementAdded', JAN, {
        jurisdiction: 'AL',
        role: 'psychologist',
        competency: 'vep',
        minLevel: 'expert',
        effectiveFrom: MAR,
      }),
    ]);
    expect(intervals).toEqual([
      { validFrom: JAN, validTo: MAR, values: ['psychologist', 'vep', 'awareness', 0, 'framework', 'v1'] },
      { validFrom: MAR, validTo: null, values: ['psychologist', 'vep', 'expert', 2, 'jurisdiction', 'v1'] },
    ]);
  });

  it('person histories: the staff decider’s fold, every period and change of status kept', () => {
    const registered = fact('StaffMemberRegistered', JAN, {
      staffId: 's1',
      agency: 'prison',
      jurisdiction: 'AL',
      institution: 'A',
      role: 'officer',
    });
    const award = fact('CertificationAwarded', JAN, {
      staffId: 's1',
      certificationId: 'c1',
      competency: 'ds',
      level: 'expert',
      validFrom: JAN,
      validUntil: MAR,
    });
    const renewal = fact('CertificationRenewed', FEB, {
      staffId: 's1',
      certificationId: 'c1',
      validFrom: MAR,
      validUntil: MAY,
    });
    const row = personHistoryRow([
      registered,
      award,
      renewal,
      fact('CertificationSuspended', APR, { staffId: 's1', certificationId: 'c1' }),
      fact('RecordVoided', APR, { staffId: 's1', targetEventId: renewal.eventId }),
      fact('StaffMemberTransferred', MAY, {
        staffId: 's1',
        agency: 'probation',
        jurisdiction: 'AL',
        institution: 'B',
      }),
    ]);
    expect(row).toEqual([
      'AL',
      'B',
      'probation',
      'officer',
      'active',
      {
        staffId: 's1',
        placements: [
          { from: JAN, agency: 'prison', jurisdiction: 'AL', institution: 'A', status: 'active' },
          { from: MAY, agency: 'probation', jurisdiction: 'AL', institution: 'B', status: 'active' },
        ],
        certificationHistory: [
          {
            certificationId: 'c1',
            competency: 'ds',
            level: 'expert',
            voided: false,
            periods: [
              { validFrom: JAN, validUntil: MAR, voided: false },
              { validFrom: MAR, validUntil: MAY, voided: true },
            ],
            statusChanges: [{ at: APR, status: 'suspended' }],
          },
        ],
      },
    ]);
    expect(personHistoryRow([award])).toBeNull();
  });

  const JAN = '2025-01-01T00:00:00.000Z';
  const FEB = '2025-02-01T00:00:00.000Z';
  const MAR = '2025-03-01T00:00:00.000Z';
  const APR = '2025-04-01T00:00:00.000Z';
  const MAY = '2025-05-01T00:00:00.000Z';
  let ids = 0;
  function fact(type: string, occurredAt: string, data: Record<string, unknown>): Fact {
    ids += 1;
    return { eventId: `e${ids}`, type, occurredAt, recordedAt: occurredAt, data };
  }
});
