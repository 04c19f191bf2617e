import { describe, expect, it } from '@jest/globals';
import { fold } from '../shared/decider.js';
import { deciderSpec, recorded, testContext } from '../testing/decider-spec.js';
import { coordinatorOf, sampleFramework } from '../testing/fixtures.js';
import type { AwardCertification, StaffCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { staffDecider } from './staff.decider.js';
import type { Evidence, StaffEvent } from './staff.events.js';
import { certificationsOf } from './staff.state.js';

describe('certification decider (staff stream)', () => {
  const spec = deciderSpec(staffDecider, (): StaffContext => ({
    ...testContext({ actor: coordinatorOf('AL') }),
    framework: sampleFramework(),
  }));

  it("awards with validity computed from the framework's level policy, never typed in", () => {
    spec.given([registered]).when(award()).then([awarded]);
  });

  it('refuses an award without evidence', () => {
    const noIssuer = { kind: 'external', issuer: ' ', reference: 'X-1' } as const;
    spec
      .given([registered])
      .when(award({ evidence: noIssuer }))
      .then('CERTIFICATION.EVIDENCE_REQUIRED');
    spec
      .given([registered])
      .when(award({ evidence: undefined as unknown as Evidence }))
      .then('CERTIFICATION.EVIDENCE_REQUIRED');
  });

  it('refuses a competency or level the framework in force does not define', () => {
    spec
      .given([registered])
      .when(award({ competency: 'cooking' }))
      .then('FRAMEWORK.UNKNOWN_COMPETENCY');
  });

  it('awards nothing after the member left', () => {
    spec
      .given([registered, { type: 'StaffMemberLeft', data: { staffId: 's-1' } }])
      .when(award())
      .then('STAFF.MEMBER_LEFT');
  });

  it('renews when passing again at the same level while certified or in the window', () => {
    const inWindow = '2025-12-01T00:00:00.000Z';
    spec
      .given([registered, awarded])
      .when(award({ validFrom: inWindow, evidence: second }), { now: '2025-12-02T00:00:00.000Z' })
      .then([
        {
          type: 'CertificationRenewed',
          data: {
            staffId: 's-1',
            certificationId: 'id-1',
            validFrom: inWindow,
            validUntil: '2027-12-01T00:00:00.000Z',
            windowOpensAt: '2027-10-02T00:00:00.000Z',
            evidence: second,
            frameworkVersion: 'v1',
          },
        },
      ]);
  });

  it('renews a named certification (RenewCertification), and refuses what would not renew it', () => {
    const external = { kind: 'external', issuer: 'Academy', reference: 'R-2' } as const;
    const renew = (certificationId: string, validFrom: string): StaffCommand => ({
      type: 'RenewCertification',
      data: { staffId: 's-1', certificationId, validFrom, evidence: external },
    });
    const inWindow = '2025-12-01T00:00:00.000Z';
    spec
      .given([registered, awarded])
      .when(renew('id-1', inWindow), { now: '2025-12-02T00:00:00.000Z' })
      .then([
        {
          type: 'CertificationRenewed',
          data: expect.objectContaining({ certificationId: 'id-1', validFrom: inWindow, evidence: external }),
        } as never,
      ]);
    // Expired by then: the award would be a new certification, so the renewal is refused.
    const later = '2027-02-01T00:00:00.000Z';
    spec
      .given([registered, awarded])
      .when(renew('id-1', later), { now: later })
      .then('CERTIFICATION.NOT_RENEWABLE');
    spec.given([registered, awarded]).when(renew('id-9', inWindow)).then('CERTIFICATION.NOT_FOUND');
  });

  it('awards a new certification after expiry or at a higher level', () => {
    const later = '2027-02-01T00:00:00.000Z';
    const [afterExpiry] = spec
      .given([registered, awarded])
      .when(award({ validFrom: later, evidence: second }), { now: later, newId: () => 'id-2' })
      .then([
        { type: 'CertificationAwarded', data: expect.objectContaining({ certificationId: 'id-2' }) } as never,
      ]);
    expect(afterExpiry?.type).toBe('CertificationAwarded');
    spec
      .given([registered, awarded])
      .when(award({ level: 'specialised', evidence: second }), { newId: () => 'id-2' })
      .then([
        {
          type: 'CertificationAwarded',
          data: expect.objectContaining({ certificationId: 'id-2', level: 'specialised' }),
        } as never,
      ]);
  });

  it('does not award the same evidence twice, so the award process may run again', () => {
    spec.given([registered, awarded]).when(award()).then([]);
  });

  it('awards each competency a session grants on the one assessment, each once', () => {
    const other = award({ competency: 'dynamic-security' });
    spec
      .given([registered, awarded])
      .when(other)
      .then([
        {
          type: 'CertificationAwarded',
          data: expect.objectContaining({ competency: 'dynamic-security', evidence: external }),
        } as never,
      ]);
    const both = fold(staffDecider, [registered, awarded]);
    const [awardedToo] = staffDecider.decide(other, both, {
      ...testContext({ actor: coordinatorOf('AL') }),
      framework: sampleFramework(),
    });
    spec.given([registered, awarded, awardedToo!]).when(other).then([]);
  });

  it('refuses to renew a suspended certification', () => {
    spec
      .given([registered, awarded, suspended])
      .when(award({ evidence: second }))
      .then('CERTIFICATION.SUSPENDED');
  });

  it('suspends, reinstates and revokes with a reason', () => {
    spec
      .given([registered, awarded])
      .when(decision('SuspendCertification', 'under review'))
      .then([suspended]);
    spec
      .given([registered, awarded])
      .when(decision('SuspendCertification', ''))
      .then('COMMAND.FIELD_REQUIRED');
    spec
      .given([registered, awarded, suspended])
      .when(decision('SuspendCertification', 'again'))
      .then('CERTIFICATION.ALREADY_SUSPENDED');
    spec
      .given([registered, awarded, suspended])
      .when(decision('ReinstateCertification', 'cleared'))
      .then([
        {
          type: 'CertificationReinstated',
          data: { staffId: 's-1', certificationId: 'id-1', reason: 'cleared' },
        },
      ]);
    spec
      .given([registered, awarded])
      .when(decision('ReinstateCertification', 'x'))
      .then('CERTIFICATION.NOT_SUSPENDED');
    spec
      .given([registered, awarded, suspended])
      .when(decision('RevokeCertification', 'fraudulent assessment'))
      .then([revoked]);
    spec
      .given([registered, awarded, revoked])
      .when(decision('SuspendCertification', 'x'))
      .then('CERTIFICATION.REVOKED');
    spec.given([registered]).when(decision('RevokeCertification', 'x')).then('CERTIFICATION.NOT_FOUND');
  });

  it('opens the recertification window once, when due, at the time it was due', () => {
    const open: StaffCommand = {
      type: 'OpenRecertificationWindow',
      data: { staffId: 's-1', certificationId: 'id-1' },
    };
    spec.given([registered, awarded]).when(open).then('CERTIFICATION.NOT_DUE');
    spec
      .given([registered, awarded])
      .when(open, { now: '2026-11-16T00:00:10.000Z' })
      .then([
        { ...notice('RecertificationWindowOpened'), metadata: { occurredAt: '2026-11-16T00:00:00.000Z' } },
      ]);
    spec
      .given([registered, awarded, notice('RecertificationWindowOpened')])
      .when(open, { now: '2026-12-01T00:00:00.000Z' })
      .then([]);
  });

  it('warns 30 days before expiry, once', () => {
    const warn: StaffCommand = {
      type: 'WarnCertificationExpiry',
      data: { staffId: 's-1', certificationId: 'id-1' },
    };
    spec
      .given([registered, awarded])
      .when(warn, { now: '2026-12-16T01:00:00.000Z' })
      .then([notice('CertificationExpiryWarned')]);
    spec
      .given([registered, awarded, notice('CertificationExpiryWarned')])
      .when(warn, { now: '2026-12-20T00:00:00.000Z' })
      .then([]);
  });

  it('expires once, catching up late with the due time and a reason', () => {
    const expire: StaffCommand = {
      type: 'ExpireCertification',
      data: { staffId: 's-1', certificationId: 'id-1' },
    };
    spec
      .given([registered, awarded])
      .when(expire, { now: '2027-01-20T00:00:00.000Z' })
      .then([
        {
          ...notice('CertificationExpired'),
          metadata: {
            occurredAt: '2027-01-15T00:00:00.000Z',
            reason: 'Recorded by the expiry process after the time it was due.',
          },
        },
      ]);
    spec
      .given([registered, awarded, notice('CertificationExpired')])
      .when(expire, { now: '2027-02-01T00:00:00.000Z' })
      .then([]);
    spec.given([registered, awarded, revoked]).when(expire, { now: '2027-02-01T00:00:00.000Z' }).then([]);
  });

  it('voids an award: the certification no longer counts and cannot be acted on', () => {
    const history = [registered, recorded(awarded, 'evt-award')];
    const [voided] = spec
      .given(history)
      .when(voidRecord('evt-award'))
      .then([voidedEvent('evt-award', 'CertificationAwarded')]);
    const state = fold(staffDecider, [...history, voided!]);
    expect(certificationsOf(state)[0]?.status).toBe('voided');
    spec
      .given([...history, voided!])
      .when(decision('SuspendCertification', 'x'))
      .then('CERTIFICATION.NOT_FOUND');
    spec
      .given([...history, voided!])
      .when(voidRecord('evt-award'))
      .then('RECORD.ALREADY_VOIDED');
  });

  it('voids a renewal: the validity before it is restored', () => {
    const renewed = recorded(
      {
        type: 'CertificationRenewed',
        data: {
          ...awarded.data,
          validFrom: '2025-12-01T00:00:00.000Z',
          validUntil: '2027-12-01T00:00:00.000Z',
        },
      } as StaffEvent,
      'evt-renewal',
    );
    const history = [registered, recorded(awarded, 'evt-award'), renewed];
    const [voided] = spec
      .given(history)
      .when(voidRecord('evt-renewal'))
      .then([voidedEvent('evt-renewal', 'CertificationRenewed')]);
    expect(certificationsOf(fold(staffDecider, [...history, voided!]))[0]?.validUntil).toBe(
      '2027-01-15T00:00:00.000Z',
    );
  });

  it('refuses to void an unknown record or without a reason', () => {
    spec
      .given([registered, recorded(awarded, 'evt-award')])
      .when(voidRecord('evt-x'))
      .then('RECORD.NOT_FOUND');
    spec
      .given([registered, recorded(awarded, 'evt-award')])
      .when(voidRecord('evt-award', ' '))
      .then('COMMAND.FIELD_REQUIRED');
  });

  it('voids every award and renewal resting on a voided assessment, once, and nothing else', () => {
    const onSession = (certificationId: string, competency: string) =>
      ({
        ...awarded,
        data: { ...awarded.data, certificationId, competency, evidence: second },
      }) as StaffEvent;
    const renewedOnSession = {
      type: 'CertificationRenewed',
      data: {
        ...awarded.data,
        certificationId: 'id-3',
        validFrom: '2025-12-01T00:00:00.000Z',
        evidence: second,
      },
    } as StaffEvent;
    const history = [
      registered,
      recorded(onSession('id-1', 'radicalisation-awareness'), 'evt-award-1'),
      recorded(onSession('id-2', 'dynamic-security'), 'evt-award-2'),
      recorded(
        { ...awarded, data: { ...awarded.data, certificationId: 'id-3', competency: 'ethics' } },
        'evt-award-3',
      ),
      recorded(renewedOnSession, 'evt-renewal-3'),
    ];
    const because = (targetEventId: string, targetType: string): StaffEvent => ({
      type: 'RecordVoided',
      data: {
        stream: 'staff-s-1',
        targetEventId,
        targetType,
        reason: WRONG_PARTICIPANT,
      },
    });
    const voids = spec
      .given(history)
      .when(voidAssessment('evt-assess-9'))
      .then([
        because('evt-award-1', 'CertificationAwarded'),
        because('evt-award-2', 'CertificationAwarded'),
        because('evt-renewal-3', 'CertificationRenewed'),
      ]);
    // The envelope keeps the reason, as for every corrective event.
    expect(voids.map((event) => event.metadata?.reason)).toEqual(Array(3).fill(WRONG_PARTICIPANT));
    const after = certificationsOf(fold(staffDecider, [...history, ...voids]));
    expect(after.map((c) => [c.certificationId, c.status, c.validFrom])).toEqual([
      ['id-1', 'voided', '2025-01-15T00:00:00.000Z'],
      ['id-2', 'voided', '2025-01-15T00:00:00.000Z'],
      ['id-3', 'active', '2025-01-15T00:00:00.000Z'],
    ]);
    spec
      .given([...history, ...voids])
      .when(voidAssessment('evt-assess-9'))
      .then([]);
    spec.given(history).when(voidAssessment('evt-assess-other')).then([]);
    spec.given(history).when(voidAssessment('evt-assess-9', ' ')).then('COMMAND.FIELD_REQUIRED');
  });

  const WRONG_PARTICIPANT = 'The assessment it rested on was voided: recorded for the wrong participant';
  const voidAssessment = (
    assessmentEventId: string,
    reason = 'recorded for the wrong participant',
  ): StaffCommand => ({
    type: 'VoidAssessmentAwards',
    data: { staffId: 's-1', sessionId: 'session-9', assessmentEventId, reason },
  });
  const external: Evidence = { kind: 'external', issuer: 'CoE HELP', reference: 'HELP-2025-001' };
  const second: Evidence = { kind: 'session', sessionId: 'session-9', assessmentEventId: 'evt-assess-9' };
  const registered: StaffEvent = {
    type: 'StaffMemberRegistered',
    data: {
      staffId: 's-1',
      agency: 'prison',
      jurisdiction: 'AL',
      institution: 'Peqin Prison',
      role: 'psychologist',
      personalData: { ciphertext: 'sealed' },
    },
  };
  const award = (changes: Partial<AwardCertification['data']> = {}): StaffCommand => ({
    type: 'AwardCertification',
    data: {
      staffId: 's-1',
      competency: 'radicalisation-awareness',
      level: 'awareness',
      validFrom: '2025-01-15T00:00:00.000Z',
      evidence: external,
      ...changes,
    },
  });
  const awarded = {
    type: 'CertificationAwarded',
    data: {
      staffId: 's-1',
      certificationId: 'id-1',
      competency: 'radicalisation-awareness',
      level: 'awareness',
      validFrom: '2025-01-15T00:00:00.000Z',
      validUntil: '2027-01-15T00:00:00.000Z',
      windowOpensAt: '2026-11-16T00:00:00.000Z',
      evidence: external,
      frameworkVersion: 'v1',
    },
  } satisfies StaffEvent;
  const decision = (
    type: 'SuspendCertification' | 'ReinstateCertification' | 'RevokeCertification',
    reason: string,
  ): StaffCommand => ({ type, data: { staffId: 's-1', certificationId: 'id-1', reason } });
  const suspended: StaffEvent = {
    type: 'CertificationSuspended',
    data: { staffId: 's-1', certificationId: 'id-1', reason: 'under review' },
  };
  const revoked: StaffEvent = {
    type: 'CertificationRevoked',
    data: { staffId: 's-1', certificationId: 'id-1', reason: 'fraudulent assessment' },
  };
  const notice = (
    type: 'RecertificationWindowOpened' | 'CertificationExpiryWarned' | 'CertificationExpired',
  ): StaffEvent => ({
    type,
    data: { staffId: 's-1', certificationId: 'id-1', validUntil: '2027-01-15T00:00:00.000Z' },
  });
  const voidRecord = (targetEventId: string, reason = 'entered for the wrong person'): StaffCommand => ({
    type: 'VoidRecord',
    data: { targetEventId, reason },
  });
  const voidedEvent = (targetEventId: string, targetType: string): StaffEvent => ({
    type: 'RecordVoided',
    data: { stream: 'staff-s-1', targetEventId, targetType, reason: 'entered for the wrong person' },
  });
});
