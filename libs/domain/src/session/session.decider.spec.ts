import { describe, expect, it } from '@jest/globals';
import { fold } from '../shared/decider.js';
import type { CertificationView } from '../shared/qualification.js';
import { deciderSpec, recorded, testContext } from '../testing/decider-spec.js';
import { coordinatorOf, staffSnapshotOf } from '../testing/fixtures.js';
import { programmeDecider } from '../programme/programme.decider.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { ScheduleSession, SessionCommand } from './session.commands.js';
import { sessionDecider, type SessionContext } from './session.decider.js';
import type { SessionEvent } from './session.events.js';
import { isJointSession, passedParticipants } from './session.state.js';

describe('session decider', () => {
  const spec = deciderSpec(sessionDecider, (): SessionContext => ({
    ...testContext({ actor: coordinatorOf('AL') }),
    programme,
    trainers: { 't-1': trainer([trainerCertification]) },
  }));

  it('schedules a session whose trainers are accredited on the session dates', () => {
    spec.given([]).when(schedule).then([scheduled]);
  });

  it('refuses a trainer without a valid trainer-level certification, naming what is missing', () => {
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([{ ...trainerCertification, level: 'expert' }]) } })
      .thenThrows('SESSION.TRAINER_NOT_ACCREDITED', {
        trainers: [
          {
            trainerId: 't-1',
            competency: 'radicalisation-awareness',
            held: expect.objectContaining({ level: 'expert' }),
          },
        ],
      });
    spec.given([]).when(schedule, { trainers: {} }).then('SESSION.TRAINER_NOT_ACCREDITED');
  });

  it('refuses a trainer whose certification expires before the session ends', () => {
    const expiring = { ...trainerCertification, validUntil: '2025-03-11T00:00:00.000Z' };
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([expiring]) } })
      .then('SESSION.TRAINER_NOT_ACCREDITED');
  });

  it('refuses a suspended trainer certification', () => {
    const suspended = { ...trainerCertification, status: 'suspended' as const };
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([suspended]) } })
      .then('SESSION.TRAINER_NOT_ACCREDITED');
  });

  it('judges the trainer on every session day: two certifications with a gap between them do not cover it', () => {
    const untilEvening = { ...trainerCertification, validUntil: '2025-03-10T20:00:00.000Z' };
    const fromMorning = {
      ...trainerCertification,
      certificationId: 'c-t2',
      validFrom: '2025-03-11T06:00:00.000Z',
    };
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([untilEvening, fromMorning]) } })
      .thenThrows('SESSION.TRAINER_NOT_ACCREDITED', {
        trainers: [expect.objectContaining({ trainerId: 't-1', competency: 'radicalisation-awareness' })],
      });
    const overlapping = { ...fromMorning, validFrom: '2025-03-10T19:00:00.000Z' };
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([untilEvening, overlapping]) } })
      .then([scheduled]);
  });

  it('refuses a trainer who left the service before the session ends', () => {
    spec
      .given([])
      .when(schedule, { trainers: { 't-1': trainer([trainerCertification], '2025-03-11T00:00:00.000Z') } })
      .thenThrows('SESSION.TRAINER_NOT_ACCREDITED', {
        trainers: [{ trainerId: 't-1', competency: null, held: null, leftAt: '2025-03-11T00:00:00.000Z' }],
      });
  });

  it("Issue 10 case 7: a session stops recording after its trainer's accreditation is revoked", () => {
    const revoked = {
      trainers: { 't-1': trainer([{ ...trainerCertification, status: 'revoked' as const }]) },
    };
    const refusal = {
      sessionId: 'ses-1',
      trainerId: 't-1',
      competency: 'radicalisation-awareness',
      held: expect.objectContaining({ certificationId: 'c-t1', standing: 'revoked' }),
    };
    spec
      .given([scheduled])
      .when(enrol('p-1'), { ...revoked, participant: prison })
      .thenThrows('SESSION.TRAINER_NOT_QUALIFIED', refusal);
    const withParticipant = [scheduled, enrolled(prison)];
    spec
      .given(withParticipant)
      .when(attend('p-1', 'present', 14), revoked)
      .thenThrows('SESSION.TRAINER_NOT_QUALIFIED', refusal);
    spec
      .given([...withParticipant, attended('p-1', 'present', 14)])
      .when(assess('p-1', 'passed'), revoked)
      .thenThrows('SESSION.TRAINER_NOT_QUALIFIED', refusal);
    spec
      .given([...withParticipant, attended('p-1', 'present', 14), assessed('p-1', 'passed')])
      .when(close, revoked)
      .thenThrows('SESSION.TRAINER_NOT_QUALIFIED', refusal);
    // Nothing delivered is recorded by a withdrawal or a cancellation: both stay possible.
    spec
      .given(withParticipant)
      .when({ type: 'WithdrawParticipant', data: { sessionId: 'ses-1', staffId: 'p-1' } }, revoked)
      .then([{ type: 'ParticipantWithdrawn', data: { sessionId: 'ses-1', staffId: 'p-1', reason: null } }]);
  });

  it('stops recording when a trainer is suspended, expires within the session, or left before it ended', () => {
    const cases: Partial<SessionContext>[] = [
      { trainers: { 't-1': trainer([{ ...trainerCertification, status: 'suspended' }]) } },
      { trainers: { 't-1': trainer([{ ...trainerCertification, validUntil: '2025-03-11T12:00:00.000Z' }]) } },
      { trainers: { 't-1': trainer([trainerCertification], '2025-03-10T12:00:00.000Z') } },
    ];
    for (const context of cases) {
      spec
        .given([scheduled, enrolled(prison)])
        .when(attend('p-1', 'present', 14), context)
        .thenThrows('SESSION.TRAINER_NOT_QUALIFIED', { trainerId: 't-1' });
    }
    // Leaving after the session ended does not undo what they delivered.
    spec
      .given([scheduled, enrolled(prison)])
      .when(attend('p-1', 'present', 14), {
        trainers: { 't-1': trainer([trainerCertification], '2025-03-12T00:00:00.000Z') },
      })
      .then([attended('p-1', 'present', 14)]);
  });

  it('replaces a trainer with one judged the same way, after which the session records again', () => {
    const replace = (by: string, reason?: string): SessionCommand => ({
      type: 'ReplaceSessionTrainer',
      data: { sessionId: 'ses-1', replace: 't-1', with: by, ...(reason ? { reason } : {}) },
    });
    const replaced: SessionEvent = {
      type: 'SessionTrainerReplaced',
      data: { sessionId: 'ses-1', replaced: 't-1', replacement: 't-2', reason: 'Accreditation revoked' },
    };
    const replacementOnly = { trainers: { 't-2': trainer([trainerCertification]) } };
    spec
      .given([scheduled, enrolled(prison)])
      .when(replace('t-2', 'Accreditation revoked'), replacementOnly)
      .then([replaced]);
    spec
      .given([scheduled, enrolled(prison), replaced])
      .when(attend('p-1', 'present', 14), replacementOnly)
      .then([attended('p-1', 'present', 14)]);
    spec
      .given([scheduled])
      .when(replace('t-2'), { trainers: { 't-2': trainer([{ ...trainerCertification, level: 'expert' }]) } })
      .thenThrows('SESSION.TRAINER_NOT_ACCREDITED', {
        trainers: [expect.objectContaining({ trainerId: 't-2' })],
      });
    spec.given([scheduled]).when(replace('t-1'), replacementOnly).then('SESSION.ALREADY_A_TRAINER');
    spec
      .given([scheduled])
      .when(
        { type: 'ReplaceSessionTrainer', data: { sessionId: 'ses-1', replace: 't-9', with: 't-2' } },
        replacementOnly,
      )
      .then('SESSION.NOT_A_TRAINER');
    spec
      .given([scheduled, enrolled(prison)])
      .when(replace('p-1'), { trainers: { 'p-1': trainer([trainerCertification]) } })
      .then('SESSION.TRAINER_IS_PARTICIPANT');
    spec
      .given([scheduled, { type: 'SessionClosed', data: { sessionId: 'ses-1' } }])
      .when(replace('t-2'), replacementOnly)
      .then('SESSION.CLOSED');
  });

  it('refuses dates in the wrong order, a retired programme, no capacity', () => {
    spec
      .given([])
      .when({ ...schedule, data: { ...schedule.data, endsAt: schedule.data.startsAt } })
      .then('SESSION.INVALID_DATES');
    const retired = fold(programmeDecider, [
      programmeDefined,
      { type: 'ProgrammeRetired', data: { programmeId: 'p-1', reason: null } },
    ]);
    spec.given([]).when(schedule, { programme: retired }).then('PROGRAMME.RETIRED');
    spec
      .given([])
      .when({ ...schedule, data: { ...schedule.data, capacity: 0 } })
      .then('COMMAND.FIELD_OUT_OF_RANGE');
  });

  it('enrols within capacity, once per person', () => {
    spec
      .given([scheduled])
      .when(enrol('p-1'), { participant: prison })
      .then([enrolled(prison)]);
    spec
      .given([scheduled, enrolled(prison)])
      .when(enrol('p-1'), { participant: prison })
      .then('SESSION.ALREADY_ENROLLED');
    spec
      .given([scheduled, enrolled(prison), enrolled(probation)])
      .when(enrol('p-4'), { participant: { ...prison, staffId: 'p-4' } })
      .then('SESSION.CAPACITY_REACHED');
  });

  it('frees a place when a participant withdraws', () => {
    const withdrawn: SessionEvent = {
      type: 'ParticipantWithdrawn',
      data: { sessionId: 'ses-1', staffId: 'p-2', reason: null },
    };
    spec
      .given([scheduled, enrolled(prison), enrolled(probation)])
      .when({ type: 'WithdrawParticipant', data: { sessionId: 'ses-1', staffId: 'p-2' } })
      .then([withdrawn]);
    spec
      .given([scheduled, enrolled(prison), enrolled(probation), withdrawn])
      .when(enrol('p-4'), { participant: { ...prison, staffId: 'p-4' } })
      .then([enrolled({ ...prison, staffId: 'p-4' })]);
  });

  it('refuses participants who left, of an agency or jurisdiction not invited, or the trainer', () => {
    spec
      .given([scheduled])
      .when(enrol('p-1'), { participant: { ...prison, status: 'left' } })
      .then('SESSION.PARTICIPANT_NOT_ELIGIBLE');
    spec
      .given([scheduled])
      .when(enrol('p-1'), { participant: { ...prison, agency: 'police' } })
      .then('SESSION.PARTICIPANT_NOT_ELIGIBLE');
    spec
      .given([scheduled])
      .when(enrol('p-1'), { participant: { ...prison, jurisdiction: 'RS' } })
      .then('SESSION.PARTICIPANT_NOT_ELIGIBLE');
    spec
      .given([scheduled])
      .when(enrol('t-1'), { participant: { ...prison, staffId: 't-1' } })
      .then('SESSION.PARTICIPANT_NOT_ELIGIBLE');
  });

  it('records attendance only once the session has started, for enrolled participants', () => {
    const given = [scheduled, enrolled(prison)];
    spec
      .given(given)
      .when(attend('p-1', 'present', 14))
      .then([attended('p-1', 'present', 14)]);
    spec
      .given(given)
      .when(attend('p-1', 'present', 14), { now: '2025-03-10T07:00:00.000Z' })
      .then('SESSION.NOT_STARTED');
    spec
      .given(given)
      .when(attend('p-9', 'present', 14))
      .then('SESSION.NOT_ENROLLED');
    spec
      .given([...given, attended('p-1', 'present', 14)])
      .when(attend('p-1', 'partial', 7))
      .then('SESSION.ATTENDANCE_ALREADY_RECORDED');
    spec
      .given(given)
      .when(attend('p-1', 'absent', 3))
      .then('COMMAND.FIELD_OUT_OF_RANGE');
  });

  it('assesses enrolled participants only, never an absent one', () => {
    const given = [scheduled, enrolled(prison)];
    spec
      .given(given)
      .when(assess('p-1', 'passed'))
      .then([assessed('p-1', 'passed')]);
    spec.given(given).when(assess('p-9', 'passed')).then('SESSION.NOT_ENROLLED');
    spec
      .given([...given, attended('p-1', 'absent', 0)])
      .when(assess('p-1', 'passed'))
      .then('SESSION.ABSENT_NOT_ASSESSED');
    spec
      .given([...given, assessed('p-1', 'failed')])
      .when(assess('p-1', 'passed'))
      .then('SESSION.ASSESSMENT_ALREADY_RECORDED');
  });

  it('keeps a closed session read-only, except for voiding', () => {
    const closed: SessionEvent = { type: 'SessionClosed', data: { sessionId: 'ses-1' } };
    const given = [scheduled, enrolled(prison), recorded(assessed('p-1', 'passed'), 'evt-assess'), closed];
    spec
      .given([scheduled])
      .when({ type: 'CloseSession', data: { sessionId: 'ses-1' } })
      .then([closed]);
    spec.given(given).when(assess('p-1', 'failed')).then('SESSION.CLOSED');
    spec.given(given).when(enrol('p-2'), { participant: probation }).then('SESSION.CLOSED');
    spec
      .given(given)
      .when({ type: 'CloseSession', data: { sessionId: 'ses-1' } })
      .then('SESSION.CLOSED');
    spec
      .given(given)
      .when({ type: 'VoidRecord', data: { targetEventId: 'evt-assess', reason: 'wrong participant' } })
      .then([
        {
          type: 'RecordVoided',
          data: {
            stream: 'session-ses-1',
            targetEventId: 'evt-assess',
            targetType: 'AssessmentRecorded',
            reason: 'wrong participant',
          },
        },
      ]);
  });

  it('refuses closing before the start and anything after cancelling', () => {
    spec
      .given([scheduled])
      .when({ type: 'CloseSession', data: { sessionId: 'ses-1' } }, { now: '2025-03-09T00:00:00.000Z' })
      .then('SESSION.NOT_STARTED');
    const cancelled: SessionEvent = {
      type: 'SessionCancelled',
      data: { sessionId: 'ses-1', reason: 'trainer ill' },
    };
    spec
      .given([scheduled])
      .when({ type: 'CancelSession', data: { sessionId: 'ses-1', reason: 'trainer ill' } })
      .then([cancelled]);
    spec.given([scheduled, cancelled]).when(enrol('p-1'), { participant: prison }).then('SESSION.CANCELLED');
  });

  it('derives joint from the attendance of both prison and probation, honouring voids', () => {
    const both = [
      scheduled,
      enrolled(prison),
      enrolled(probation),
      attended('p-1', 'present', 14),
      recorded(attended('p-2', 'partial', 7), 'evt-att-2'),
    ];
    expect(isJointSession(fold(sessionDecider, both))).toBe(true);
    const voided: SessionEvent = {
      type: 'RecordVoided',
      data: {
        stream: 'session-ses-1',
        targetEventId: 'evt-att-2',
        targetType: 'AttendanceRecorded',
        reason: 'x',
      },
    };
    expect(isJointSession(fold(sessionDecider, [...both, voided]))).toBe(false);
    expect(
      isJointSession(
        fold(sessionDecider, [
          scheduled,
          enrolled(prison),
          enrolled(probation),
          attended('p-1', 'present', 14),
          attended('p-2', 'absent', 0),
        ]),
      ),
    ).toBe(false);
  });

  it('lists who passed, with the assessment as evidence, for the award process', () => {
    const state = fold(sessionDecider, [
      scheduled,
      enrolled(prison),
      enrolled(probation),
      recorded(assessed('p-1', 'passed'), 'evt-a1'),
      assessed('p-2', 'failed'),
    ]);
    expect(passedParticipants(state)).toEqual([{ staffId: 'p-1', assessmentEventId: 'evt-a1' }]);
  });

  const programmeDefined = {
    type: 'ProgrammeDefined' as const,
    data: {
      programmeId: 'p-1',
      title: 'Radicalisation awareness for front-line staff',
      competencies: [{ competency: 'radicalisation-awareness', level: 'awareness' as const }],
      kind: 'awareness' as const,
      hours: 14,
      methodology: 'Interactive',
      scope: '*',
      frameworkVersion: 'v1',
    },
  };
  const programme = fold(programmeDecider, [programmeDefined]);
  const trainerCertification: CertificationView = {
    certificationId: 'c-t1',
    competency: 'radicalisation-awareness',
    level: 'trainer',
    validFrom: '2024-01-01T00:00:00.000Z',
    validUntil: '2026-01-01T00:00:00.000Z',
    status: 'active',
  };
  /** A trainer's history: registered in 2020, holding `certifications`, and left at `leftAt`. */
  const trainer = (certifications: CertificationView[], leftAt: string | null = null): StaffSnapshot => {
    const person = staffSnapshotOf(
      {
        staffId: 't-1',
        status: 'active',
        agency: 'prison',
        jurisdiction: 'AL',
        institution: 'Tirana training centre',
        role: 'trainer',
        certifications,
      },
      '2020-01-01T00:00:00.000Z',
    );
    if (!leftAt) return person;
    const [registered] = person.placements;
    return {
      ...person,
      placements: [...person.placements, { ...registered!, from: leftAt, status: 'left' }],
    };
  };
  const close: SessionCommand = { type: 'CloseSession', data: { sessionId: 'ses-1' } };
  const schedule: ScheduleSession = {
    type: 'ScheduleSession',
    data: {
      sessionId: 'ses-1',
      programmeId: 'p-1',
      startsAt: '2025-03-10T08:00:00.000Z',
      endsAt: '2025-03-11T16:00:00.000Z',
      location: 'Tirana training centre',
      jurisdictions: ['AL'],
      agencies: ['prison', 'probation'],
      trainers: ['t-1'],
      capacity: 2,
    },
  };
  const scheduled: SessionEvent = {
    type: 'SessionScheduled',
    data: { ...schedule.data, competencies: programmeDefined.data.competencies },
  };
  const staff = (staffId: string, agency: 'prison' | 'probation'): StaffSnapshot => ({
    placements: [],
    certificationHistory: [],
    staffId,
    status: 'active',
    agency,
    jurisdiction: 'AL',
    institution: 'x',
    role: 'security-officer',
    certifications: [],
  });
  const prison = staff('p-1', 'prison');
  const probation = staff('p-2', 'probation');
  const enrol = (staffId: string): SessionCommand => ({
    type: 'EnrolParticipant',
    data: { sessionId: 'ses-1', staffId },
  });
  const enrolled = (p: StaffSnapshot): SessionEvent => ({
    type: 'ParticipantEnrolled',
    data: { sessionId: 'ses-1', staffId: p.staffId, agency: p.agency, jurisdiction: p.jurisdiction },
  });
  type A = 'present' | 'partial' | 'absent';
  const attend = (staffId: string, attendance: A, hours: number): SessionCommand => ({
    type: 'RecordAttendance',
    data: { sessionId: 'ses-1', staffId, attendance, hours },
  });
  const attended = (staffId: string, attendance: A, hours: number): SessionEvent => ({
    type: 'AttendanceRecorded',
    data: { sessionId: 'ses-1', staffId, attendance, hours },
  });
  const assess = (staffId: string, result: 'passed' | 'failed'): SessionCommand => ({
    type: 'RecordAssessment',
    data: { sessionId: 'ses-1', staffId, result, score: 80 },
  });
  const assessed = (staffId: string, result: 'passed' | 'failed'): SessionEvent => ({
    type: 'AssessmentRecorded',
    data: { sessionId: 'ses-1', staffId, result, score: 80 },
  });
});
