import { describe, expect, it } from '@jest/globals';
import type { CertificationView } from '../shared/qualification.js';
import type { JurisdictionRules } from '../shared/requirements.js';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import { managerOf, sampleFramework } from '../testing/fixtures.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { TeamCommand } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamDecider } from './team.decider.js';
import type { TeamEvent } from './team.events.js';

describe('team decider', () => {
  const spec = deciderSpec(teamDecider, (): TeamContext => ({
    ...testContext({ actor: alice }),
    candidate: qualified,
    rules: { framework: sampleFramework(), jurisdiction: al },
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
      .then([assigned('s-1')]);
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
    const expired = {
      ...qualified,
      certifications: [raAwareness, { ...vepSpecialised, validUntil: '2025-03-01T00:00:00.000Z' }],
    };
    spec.given([formed]).when(assign('s-1'), { candidate: expired }).then('TEAM.MEMBER_NOT_QUALIFIED');
  });

  it('refuses a member who left, works elsewhere, or whose agency the team does not admit', () => {
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: { ...qualified, status: 'left' } })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: { ...qualified, jurisdiction: 'RS' } })
      .then('TEAM.MEMBER_NOT_ELIGIBLE');
    spec
      .given([formed])
      .when(assign('s-1'), { candidate: { ...qualified, agency: 'police' } })
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
      .when(approve, { actor: bob, candidate: { ...unqualified, status: 'left' } })
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

  it('records a lapse once, and a lapsed member no longer counts', () => {
    const lapse: TeamCommand = {
      type: 'RecordMemberQualificationLapse',
      data: { teamId: 't-1', staffId: 's-1', certificationId: 'c-vep', cause: 'revoked' },
    };
    const lapsed: TeamEvent = { type: 'MemberQualificationLapsed', data: { ...lapse.data } } as TeamEvent;
    spec
      .given([formed, assigned('s-1')])
      .when(lapse, { actor: system })
      .then([lapsed]);
    spec
      .given([formed, assigned('s-1'), lapsed])
      .when(lapse, { actor: system })
      .then([]);
    spec.given([formed]).when(lapse, { actor: system }).then([]);
    spec
      .given([formed, assigned('s-1'), assigned('s-3', 'probation'), lapsed])
      .when({ type: 'DeclareTeamOperational', data: { teamId: 't-1' } })
      .then('TEAM.NOT_READY');
  });

  it('records a lapse for a voided certification only when the void leaves a requirement of the team role unmet', () => {
    const voidLapse = (certificationId: string): TeamCommand => ({
      type: 'RecordMemberQualificationLapse',
      data: { teamId: 't-1', staffId: 's-1', certificationId, cause: 'voided' },
    });
    const voided = (certification: CertificationView): CertificationView => ({
      ...certification,
      status: 'voided',
    });
    const serving = [formed, assigned('s-1')];
    // Its only certification of a required competency: the member no longer meets the requirement.
    const onlyOne = snapshot('s-1', [raAwareness, voided(vepSpecialised)]);
    const lapsed = {
      type: 'MemberQualificationLapsed',
      data: { teamId: 't-1', staffId: 's-1', certificationId: 'c-vep', cause: 'voided' },
    } as TeamEvent;
    spec.given(serving).when(voidLapse('c-vep'), { actor: system, candidate: onlyOne }).then([lapsed]);
    spec
      .given([...serving, lapsed])
      .when(voidLapse('c-vep'), { actor: system, candidate: onlyOne })
      .then([]);
    // Another valid certification covers the requirement (a higher level): nothing lapsed.
    const covered = snapshot('s-1', [
      raAwareness,
      voided(vepSpecialised),
      cert('c-vep-x', 'vep-risk-assessment', 'expert'),
    ]);
    spec.given(serving).when(voidLapse('c-vep'), { actor: system, candidate: covered }).then([]);
    // A voided renewal whose earlier period still runs: the certification itself still covers it.
    spec.given(serving).when(voidLapse('c-vep'), { actor: system, candidate: qualified }).then([]);
    // A competency the role does not require, of a member already short of another one: not this void's doing.
    const unrelated = snapshot('s-1', [raAwareness, voided(cert('c-ds', 'dynamic-security', 'awareness'))]);
    spec.given(serving).when(voidLapse('c-ds'), { actor: system, candidate: unrelated }).then([]);
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
  const snapshot = (staffId: string, certifications: CertificationView[]): StaffSnapshot => ({
    staffId,
    status: 'active',
    agency: 'prison',
    jurisdiction: 'AL',
    institution: 'Peqin Prison',
    role: 'psychologist',
    certifications,
  });
  const qualified = snapshot('s-1', [raAwareness, vepSpecialised]);
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
  const assigned = (staffId: string, agency: 'prison' | 'probation' = 'prison'): TeamEvent => ({
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
