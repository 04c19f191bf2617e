import { describe, expect, it } from '@jest/globals';
import type { CertificationView } from '../shared/qualification.js';
import type { JurisdictionRules } from '../shared/requirements.js';
import { deciderSpec, recorded, testContext } from '../testing/decider-spec.js';
import { managerOf, sampleFramework, staffSnapshotOf } from '../testing/fixtures.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { TeamCommand } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamDecider } from './team.decider.js';
import type { TeamEvent } from './team.events.js';

describe('team decider', () => {
  const spec = deciderSpec(teamDecider, (): TeamContext => ({
    ...testContext({ actor: alice }),
    candidate: qualified,
    rules: { frameworks: { v1: sampleFramework() }, jurisdiction: al },
    members: { 's-1': qualified, 's-2': unqualified, 's-3': probationer },
  }));

  it('is formed by a manager of its jurisdiction', () => {
    spec.given([]).when(form).then([formed]);
    spec
      .given([])
      .when(form, { actor: managerOf('RS') })
      .then('TEAM.NOT_A_MANAGER');
    spec
      .given([])
      .when(form, { actor: { sub: 'c', roles: ['training-coordinator'], jurisdictions: ['AL'] } })
      .then('TEAM.NOT_A_MANAGER');
  });

  it('assigns a qualified, active member of the jurisdiction with the qualification snapshot', () => {
    spec
      .given([formed])
      .when(assign('s-1'))
      .then([assigned('s-1', 'prison', NOW_ISO)]);
  });

  it('refuses an unqualified member, listing each unmet requirement and what is held', () => {
    spec
      .given([formed])
      .when(assign('s-2'), { candidate: unqualified })
      .thenThrows('TEAM.MEMBER_NOT_QUALIFIED', {
        violations: [
          {
            role: 'psychologist',
            competency: 'vep-risk-assessment',
            requiredLevel: 'specialised',
            held: expect.objectContaining({ level: 'awareness', standing: 'valid' }),
          },
        ],
      });
  });

  it('does not count a certification that expired by the clock, even without an expiry event', () => {
    const expired = snapshot('s-1', [
      raAwareness,
      { ...vepSpecialised, validUntil: '2025-03-01T00:00:00.000Z' },
    ]);
    spec.given([formed]).when(assign('s-1'), { candidate: expired }).then('TEAM.MEMBER_NOT_QUALIFIED');
  });

  it('refuses a member who left, works elsewhere, or whose agency the team does not admit', () => {
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: as(qualified, { status: 'left' }) })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: as(qualified, { jurisdiction: 'RS' }) })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: as(qualified, { agency: 'police' }) })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
  });

  it('refuses the same member twice and a role the framework lacks', () => {
    spec
      .given([formed, assigned('s-1')])
      .when(assign('s-1'))
      .then('TEAM.ALREADY_MEMBER');
    spec
      .given([formed])
      .when({ type: 'AssignMember', data: { teamId: 't-1', staffId: 's-1', teamRole: 'chef' } })
      .then('TEAM.UNKNOWN_ROLE');
  });

  it('lets only managers of the jurisdiction assign', () => {
    spec
      .given([formed])
      .when(assign('s-1'), { actor: managerOf('ME') })
      .then('TEAM.NOT_A_MANAGER');
  });

  it('puts an unqualified member to a second manager when an override is justified', () => {
    spec.given([formed]).when(overrideAssign, { candidate: unqualified }).then([overrideRequested]);
    spec
      .given([formed])
      .when(
        { ...overrideAssign, data: { ...overrideAssign.data, override: { justification: ' ' } } },
        { candidate: unqualified },
      )
      .then('COMMAND.FIELD_REQUIRED');
    spec
      .given([formed, overrideRequested])
      .when(overrideAssign, { candidate: unqualified })
      .then('TEAM.OVERRIDE_PENDING');
  });

  it('assigns on approval by a different manager, recording the override', () => {
    spec
      .given([formed, overrideRequested])
      .when(approve, { actor: bob, candidate: unqualified })
      .then([
        {
          type: 'AssignmentOverrideApproved',
          data: { teamId: 't-1', overrideId: 'id-1', approvedBy: 'bob' },
        },
        {
          type: 'MemberAssigned',
          data: expect.objectContaining({
            staffId: 's-2',
            assignedBy: 'alice',
            override: expect.objectContaining({
              overrideId: 'id-1',
              requestedBy: 'alice',
              approvedBy: 'bob',
            }),
          }),
        } as never,
      ]);
  });

  it('refuses approval by the requester, twice, or of an unknown request', () => {
    spec
      .given([formed, overrideRequested])
      .when(approve, { candidate: unqualified })
      .then('TEAM.OVERRIDE_SELF_APPROVAL');
    const approved: TeamEvent = {
      type: 'AssignmentOverrideApproved',
      data: { teamId: 't-1', overrideId: 'id-1', approvedBy: 'bob' },
    };
    spec
      .given([formed, overrideRequested, approved])
      .when(approve, { actor: bob })
      .then('TEAM.OVERRIDE_ALREADY_DECIDED');
    spec.given([formed]).when(approve, { actor: bob }).then('TEAM.OVERRIDE_NOT_FOUND');
  });

  it('rejects with a reason, by any manager of the team, the requester included (a withdrawal)', () => {
    // Four eyes guard what an override lets through, an unqualified member; a rejection lets
    // nothing through, and the requester has no other way to take back a mistaken request.
    const reject = (reason: string): TeamCommand => ({
      type: 'RejectAssignmentOverride',
      data: { teamId: 't-1', overrideId: 'id-1', reason },
    });
    const rejected = (rejectedBy: string): TeamEvent => ({
      type: 'AssignmentOverrideRejected',
      data: { teamId: 't-1', overrideId: 'id-1', rejectedBy, reason: 'requested in error' },
    });
    spec
      .given([formed, overrideRequested])
      .when(reject('requested in error'), { actor: bob })
      .then([rejected('bob')]);
    spec
      .given([formed, overrideRequested])
      .when(reject('requested in error'))
      .then([rejected('alice')]);
    spec.given([formed, overrideRequested]).when(reject(' ')).then('COMMAND.FIELD_REQUIRED');
    spec
      .given([formed, overrideRequested, rejected('bob')])
      .when(reject('requested in error'))
      .then('TEAM.OVERRIDE_ALREADY_DECIDED');
    spec
      .given([formed, overrideRequested])
      .when(reject('requested in error'), { actor: managerOf('RS', 'sasa') })
      .then('TEAM.NOT_A_MANAGER');
  });

  it('re-checks the member at approval', () => {
    spec
      .given([formed, overrideRequested])
      .when(approve, { actor: bob, candidate: as(unqualified, { status: 'left' }) })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
  });

  it('releases members with a reason', () => {
    const release: TeamCommand = {
      type: 'ReleaseMember',
      data: { teamId: 't-1', staffId: 's-1', reason: 'case closed' },
    };
    spec
      .given([formed, assigned('s-1')])
      .when(release)
      .then([{ type: 'MemberReleased', data: { teamId: 't-1', staffId: 's-1', reason: 'case closed' } }]);
    spec.given([formed]).when(release).then('TEAM.NOT_A_MEMBER');
  });

  it('designates a member as lead, not an outsider', () => {
    const lead: TeamCommand = { type: 'DesignateTeamLead', data: { teamId: 't-1', staffId: 's-1' } };
    spec
      .given([formed, assigned('s-1')])
      .when(lead)
      .then([{ type: 'TeamLeadDesignated', data: { teamId: 't-1', staffId: 's-1' } }]);
    spec.given([formed]).when(lead).then('TEAM.LEAD_NOT_A_MEMBER');
  });

  it('is operational only with every required discipline, and a joint team with both agencies', () => {
    const declare: TeamCommand = { type: 'DeclareTeamOperational', data: { teamId: 't-1' } };
    spec
      .given([formed, assigned('s-1')])
      .when(declare)
      .thenThrows('TEAM.NOT_READY', { agenciesMissing: ['probation'] });
    spec
      .given([formed])
      .when(declare)
      .thenThrows('TEAM.NOT_READY', { missing: [{ role: 'psychologist', required: 1, present: 0 }] });
    const both = [formed, assigned('s-1'), assigned('s-3', 'probation')];
    spec
      .given(both)
      .when(declare)
      .then([{ type: 'TeamDeclaredOperational', data: { teamId: 't-1' } }]);
    spec
      .given([...both, { type: 'TeamDeclaredOperational', data: { teamId: 't-1' } }])
      .when(declare)
      .then([]);
  });

  it('declares operational only with members qualified by the clock, before any lapse is recorded', () => {
    // Issue 10 case 5: a certificate that ran out at validUntil stops counting at once.
    const declare: TeamCommand = { type: 'DeclareTeamOperational', data: { teamId: 't-1' } };
    const expiredYesterday = snapshot('s-1', [
      raAwareness,
      { ...vepSpecialised, validUntil: '2025-03-09T00:00:00.000Z' },
    ]);
    spec
      .given([formed, assigned('s-1'), assigned('s-3', 'probation')])
      .when(declare, { members: { 's-1': expiredYesterday, 's-3': probationer } })
      .thenThrows('TEAM.NOT_READY', { missing: [], agenciesMissing: ['prison'] });
  });

  describe('reviewing a member’s standing', () => {
    const serving = (): TeamEvent[] => [
      formed,
      recorded(
        assigned('s-1', 'prison', '2025-02-01T00:00:00.000Z'),
        'e-assigned',
        '2025-02-01T00:00:00.000Z',
      ),
    ];
    const review = (asOf = NOW_ISO): TeamCommand => ({
      type: 'ReviewMemberStanding',
      data: { teamId: 't-1', staffId: 's-1', asOf },
    });
    const lapsed = (data: object): TeamEvent =>
      ({
        type: 'MemberLapsed',
        data: {
          teamId: 't-1',
          staffId: 's-1',
          teamRole: 'psychologist',
          detail: null,
          judgedAt: NOW_ISO,
          ...data,
        },
      }) as TeamEvent;
    const vepUnmet = (standing: string) => [
      expect.objectContaining({
        competency: 'vep-risk-assessment',
        requiredLevel: 'specialised',
        held: expect.objectContaining({ standing }),
      }),
    ];

    it('records a lapse from the validUntil that ended the only certificate meeting a requirement', () => {
      const ran = snapshot('s-1', [
        raAwareness,
        { ...vepSpecialised, validUntil: '2025-03-01T00:00:00.000Z' },
      ]);
      spec
        .given(serving())
        .when(review(), { actor: system, members: { 's-1': ran } })
        .then([lapsed({ since: '2025-03-01T00:00:00.000Z', cause: 'expired', unmet: vepUnmet('expired') })]);
    });

    it('issue 10 case 1: lapses nobody for a certificate whose competency another one still covers, or that the role does not require', () => {
      const olderAwareness = cert('c-ra-old', 'radicalisation-awareness', 'awareness');
      const covered = snapshot('s-1', [
        { ...olderAwareness, validUntil: '2025-03-01T00:00:00.000Z' },
        cert('c-ra-s', 'radicalisation-awareness', 'specialised'),
        vepSpecialised,
      ]);
      spec
        .given(serving())
        .when(review(), { actor: system, members: { 's-1': covered } })
        .then([]);
      const unrelatedRevoked = snapshot('s-1', [
        raAwareness,
        vepSpecialised,
        { ...cert('c-ds', 'dynamic-security', 'awareness'), status: 'revoked' },
      ]);
      spec
        .given(serving())
        .when(review(), { actor: system, members: { 's-1': unrelatedRevoked } })
        .then([]);
    });

    it('names departure and transfer as the cause, with what stands in the way', () => {
      spec
        .given(serving())
        .when(review(), {
          actor: system,
          members: { 's-1': as(qualified, { status: 'left' }, '2025-03-05T00:00:00.000Z') },
        })
        .then([
          lapsed({
            since: '2025-03-05T00:00:00.000Z',
            cause: 'left',
            unmet: [],
            detail: 'they have left the service',
          }),
        ]);
      spec
        .given(serving())
        .when(review(), {
          actor: system,
          members: { 's-1': as(qualified, { jurisdiction: 'RS' }, '2025-03-05T00:00:00.000Z') },
        })
        .then([
          lapsed({
            since: '2025-03-05T00:00:00.000Z',
            cause: 'transferred',
            unmet: [],
            detail: 'they work in RS, not AL',
          }),
        ]);
    });

    it('requalifies a lapsed member who meets the rule again, and records nothing while the answer stands', () => {
      const wasLapsed = recorded(
        lapsed({
          since: '2025-02-10T00:00:00.000Z',
          cause: 'revoked',
          unmet: [],
          judgedAt: '2025-02-10T00:00:00.000Z',
        }),
        'e-lapsed',
        '2025-02-10T00:00:00.000Z',
      );
      spec
        .given([...serving(), wasLapsed])
        .when(review(), { actor: system })
        .then([
          {
            type: 'MemberRequalified',
            data: {
              teamId: 't-1',
              staffId: 's-1',
              teamRole: 'psychologist',
              since: '2025-02-10T00:00:00.000Z',
              judgedAt: NOW_ISO,
            },
          },
        ]);
      spec.given(serving()).when(review(), { actor: system }).then([]);
    });

    it('reads a lapse recorded before decision 0010 as stored, and the reconciliation clears a false one', () => {
      const oldLapse = recorded(
        {
          type: 'MemberQualificationLapsed',
          data: { teamId: 't-1', staffId: 's-1', certificationId: 'c-ra-old', cause: 'expired' },
        } as TeamEvent,
        'e-old',
        '2025-03-01T00:00:00.000Z',
      );
      spec
        .given([...serving(), oldLapse])
        .when(review(), { actor: system })
        .then([expect.objectContaining({ type: 'MemberRequalified' }) as never]);
    });

    it('changes nothing for a review of an instant before the last one judged (a replay)', () => {
      const ran = snapshot('s-1', [
        raAwareness,
        { ...vepSpecialised, validUntil: '2025-03-01T00:00:00.000Z' },
      ]);
      spec
        .given(serving())
        .when(review('2025-01-15T00:00:00.000Z'), { actor: system, members: { 's-1': ran } })
        .then([]);
    });

    it('records that an operational team lost a discipline with the lapse', () => {
      const operational: TeamEvent[] = [
        ...serving(),
        assigned('s-3', 'probation'),
        { type: 'TeamDeclaredOperational', data: { teamId: 't-1' } },
      ];
      const revoked = as(
        snapshot('s-1', [raAwareness, { ...vepSpecialised, status: 'revoked' }]),
        {},
        '2025-03-05T00:00:00.000Z',
      );
      spec
        .given(operational)
        .when(review(), {
          actor: system,
          members: { 's-1': revoked, 's-3': as(qualified, { staffId: 's-3', agency: 'probation' }) },
        })
        .then([
          lapsed({ since: '2025-03-05T00:00:00.000Z', cause: 'revoked', unmet: vepUnmet('revoked') }),
          {
            type: 'TeamReadinessLost',
            data: {
              teamId: 't-1',
              since: '2025-03-05T00:00:00.000Z',
              missing: [],
              agenciesMissing: ['prison'],
            },
          },
        ]);
    });

    it('is sent by the system only', () => {
      spec.given(serving()).when(review()).then('TEAM.NOT_A_MANAGER');
    });
  });

  it('refuses required disciplines the framework does not define, named twice, or without an adopted framework', () => {
    const withDisciplines = (requiredDisciplines: { role: string; minCount: number }[]): TeamCommand =>
      ({
        ...form,
        data: { ...form.data, requiredDisciplines },
      }) as TeamCommand;
    spec
      .given([])
      .when(withDisciplines([{ role: 'astrologer', minCount: 1 }]))
      .then('TEAM.UNKNOWN_ROLE');
    spec
      .given([])
      .when(
        withDisciplines([
          { role: 'psychologist', minCount: 1 },
          { role: 'psychologist', minCount: 2 },
        ]),
      )
      .then('TEAM.DUPLICATE_DISCIPLINE');
    spec
      .given([])
      .when(form, { rules: { frameworks: {}, jurisdiction: { code: 'AL', adoptions: [], additions: [] } } })
      .then('JURISDICTION.NO_FRAMEWORK_ADOPTED');
  });

  it('is read-only once dissolved', () => {
    const dissolved: TeamEvent = { type: 'TeamDissolved', data: { teamId: 't-1', reason: 'case closed' } };
    spec
      .given([formed])
      .when({ type: 'DissolveTeam', data: { teamId: 't-1', reason: 'case closed' } })
      .then([dissolved]);
    spec.given([formed, dissolved]).when(assign('s-1')).then('TEAM.DISSOLVED');
  });

  const alice = managerOf('AL', 'alice');
  const bob = managerOf('AL', 'bob');
  const system = { sub: 'system:lapse-process', roles: ['system'], jurisdictions: ['*'] };
  const NOW_ISO = '2025-03-10T09:00:00.000Z';
  const al: JurisdictionRules = {
    code: 'AL',
    adoptions: [{ version: 'v1', effectiveFrom: '2025-01-01T00:00:00.000Z' }],
    additions: [],
  };
  const cert = (
    certificationId: string,
    competency: string,
    level: CertificationView['level'],
  ): CertificationView => ({
    certificationId,
    competency,
    level,
    validFrom: '2025-01-15T00:00:00.000Z',
    validUntil: '2027-01-15T00:00:00.000Z',
    status: 'active',
  });
  const raAwareness = cert('c-ra', 'radicalisation-awareness', 'awareness');
  const vepSpecialised = cert('c-vep', 'vep-risk-assessment', 'specialised');
  const snapshot = (staffId: string, certifications: CertificationView[]): StaffSnapshot =>
    staffSnapshotOf({
      staffId,
      status: 'active',
      agency: 'prison',
      jurisdiction: 'AL',
      institution: 'Peqin Prison',
      role: 'psychologist',
      certifications,
    });
  /**
   * The person moved to `change` at `at` (a transfer, a departure, a revocation), having stood as
   * `person` since 2024.
   */
  const as = (person: StaffSnapshot, change: Partial<StaffSnapshot>, at?: string): StaffSnapshot => {
    const after = staffSnapshotOf({ ...person, ...change }, at ?? '2024-01-01T00:00:00.000Z');
    if (!at) return after;
    return {
      ...after,
      placements: [...person.placements, ...after.placements],
    };
  };
  const qualified = snapshot('s-1', [raAwareness, vepSpecialised]);
  const probationer = staffSnapshotOf({ ...qualified, staffId: 's-3', agency: 'probation' });
  const unqualified = snapshot('s-2', [raAwareness, cert('c-vep-a', 'vep-risk-assessment', 'awareness')]);
  const form: TeamCommand = {
    type: 'FormTeam',
    data: {
      teamId: 't-1',
      name: 'Case 42 MDT',
      jurisdiction: 'AL',
      institutions: ['Peqin Prison'],
      kind: 'joint',
      caseRef: 'CASE-42',
      requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
    },
  };
  const formed: TeamEvent = { type: 'TeamFormed', data: { ...form.data } } as TeamEvent;
  const assign = (staffId: string): TeamCommand => ({
    type: 'AssignMember',
    data: { teamId: 't-1', staffId, teamRole: 'psychologist' },
  });
  // Given without an envelope, as the specs fold their givens: assigned from the beginning.
  const assigned = (
    staffId: string,
    agency: 'prison' | 'probation' = 'prison',
    assignedAt = '1970-01-01T00:00:00.000Z',
  ): TeamEvent => ({
    type: 'MemberAssigned',
    data: {
      teamId: 't-1',
      staffId,
      teamRole: 'psychologist',
      agency,
      assignedBy: 'alice',
      qualification: [
        {
          role: 'all-staff',
          competency: 'radicalisation-awareness',
          requiredLevel: 'awareness',
          met: true,
          certificationId: 'c-ra',
          level: 'awareness',
          validUntil: '2027-01-15T00:00:00.000Z',
        },
        {
          role: 'psychologist',
          competency: 'vep-risk-assessment',
          requiredLevel: 'specialised',
          met: true,
          certificationId: 'c-vep',
          level: 'specialised',
          validUntil: '2027-01-15T00:00:00.000Z',
        },
      ],
      requirementsVersion: 'v1+AL.0',
      override: null,
      assignedAt,
    },
  });
  const overrideAssign = {
    type: 'AssignMember' as const,
    data: {
      teamId: 't-1',
      staffId: 's-2',
      teamRole: 'psychologist',
      override: { justification: 'only psychologist on site' },
    },
  };
  const overrideRequested: TeamEvent = {
    type: 'AssignmentOverrideRequested',
    data: {
      teamId: 't-1',
      overrideId: 'id-1',
      staffId: 's-2',
      teamRole: 'psychologist',
      justification: 'only psychologist on site',
      requestedBy: 'alice',
      violations: [
        {
          role: 'psychologist',
          competency: 'vep-risk-assessment',
          requiredLevel: 'specialised',
          held: {
            certificationId: 'c-vep-a',
            level: 'awareness',
            validUntil: '2027-01-15T00:00:00.000Z',
            standing: 'valid',
          },
        },
      ],
      requirementsVersion: 'v1+AL.0',
    },
  };
  const approve: TeamCommand = {
    type: 'ApproveAssignmentOverride',
    data: { teamId: 't-1', overrideId: 'id-1' },
  };
});
