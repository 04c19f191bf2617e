import type { Actor } from '../shared/actor.js';
import type { QualificationResult } from '../shared/qualification.js';
import { evaluateQualification } from '../shared/qualification.js';
import { requirementsInForce } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';
import { requireContext, requireText } from '../shared/validation.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { AssignMember, ApproveAssignmentOverride } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamErrors } from './team.errors.js';
import type { QualificationEntry, TeamKind } from './team.events.js';
import type { TeamRecord } from './team.state.js';

const AGENCIES_OF: Record<TeamKind, readonly string[] | null> = {
  prison: ['prison'],
  probation: ['probation'],
  joint: ['prison', 'probation'],
  'multi-agency': null,
};

export interface Assessment {
  readonly candidate: StaffSnapshot;
  readonly qualification: QualificationResult;
  readonly snapshot: QualificationEntry[];
  readonly requirementsVersion: string;
}

/**
 * Everything an assignment checks except the qualification verdict: the member is active, in
 * the team's jurisdiction and of an agency the team admits, not already serving, and the role is
 * one of the framework in force. Evaluated as of `now`, against the staff stream the handler read.
 */
export function assessCandidate(
  team: TeamRecord,
  staffId: string,
  teamRole: string,
  context: TeamContext,
  now: Instant,
): Assessment {
  if (team.members[staffId]) throw teamErrors.alreadyMember(staffId);
  const candidate = requireContext(context.candidate, 'candidate');
  if (candidate.staffId !== staffId)
    throw new Error(`context.candidate is ${candidate.staffId}, not ${staffId}.`);
  if (candidate.status !== 'active')
    throw teamErrors.memberNotEligible(staffId, 'they have left the service');
  if (candidate.jurisdiction !== team.jurisdiction) {
    throw teamErrors.memberNotEligible(
      staffId,
      `they work in ${candidate.jurisdiction}, not ${team.jurisdiction}`,
    );
  }
  const admitted = AGENCIES_OF[team.kind];
  if (admitted && !admitted.includes(candidate.agency)) {
    throw teamErrors.memberNotEligible(
      staffId,
      `a ${team.kind} team does not admit the ${candidate.agency} agency`,
    );
  }
  const { framework, jurisdiction } = requireContext(context.rules, 'rules');
  if (!framework.roles[requireText(teamRole, 'teamRole')])
    throw teamErrors.unknownRole(teamRole, framework.version);
  const inForce = requirementsInForce(framework, jurisdiction, teamRole, now);
  const qualification = evaluateQualification(inForce.requirements, candidate.certifications, now);
  const snapshot = qualification.results.map((result): QualificationEntry => {
    const { role, competency, minLevel } = result.requirement;
    const held = result.met ? result.metBy : result.held;
    return {
      role,
      competency,
      requiredLevel: minLevel,
      met: result.met,
      certificationId: held?.certificationId ?? null,
      level: held?.level ?? null,
      validUntil: held?.validUntil ?? null,
    };
  });
  return { candidate, qualification, snapshot, requirementsVersion: inForce.requirementsVersion };
}

export function pendingOverrideFor(team: TeamRecord, staffId: string) {
  return Object.values(team.overrides).find((o) => o.staffId === staffId && o.decision === 'pending');
}

export function overrideToApprove(team: TeamRecord, command: ApproveAssignmentOverride, approver: Actor) {
  const override = team.overrides[command.data.overrideId];
  if (!override) throw teamErrors.overrideNotFound(command.data.overrideId);
  if (override.decision !== 'pending') throw teamErrors.overrideDecided(override.overrideId);
  if (override.requestedBy === approver.sub) throw teamErrors.selfApproval(override.overrideId);
  return override;
}

export function justificationOf(command: AssignMember): string | undefined {
  return command.data.override
    ? requireText(command.data.override.justification, 'override.justification')
    : undefined;
}
