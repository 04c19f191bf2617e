import type { Actor } from '@cadre/kernel';
import type { Agency } from '../shared/agencies.js';
import { DomainRuleError } from '../shared/domain-errors.js';
import type { QualificationResult } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';
import { requireContext, requireText } from '../shared/validation.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { AssignMember, ApproveAssignmentOverride } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamErrors } from './team.errors.js';
import type { QualificationEntry } from './team.events.js';
import type { TeamRecord } from './team.state.js';
import { judgeTeamRole, type Barrier } from './team-role.rule.js';

export interface Assessment {
  readonly candidate: StaffSnapshot;
  /** The candidate's agency at the assignment's business time. */
  readonly agency: Agency;
  readonly qualification: QualificationResult;
  readonly snapshot: QualificationEntry[];
  readonly requirementsVersion: string;
}

/**
 * An assignment asks the one rule (`judgeTeamRole`) at the command's business time: a barrier
 * (left, elsewhere, an agency the team does not admit, a role the framework in force does not
 * define, no framework adopted) refuses it; unmet requirements are the qualification verdict,
 * which the caller turns into a refusal or an override request.
 */
export function assessCandidate(
  team: TeamRecord,
  staffId: string,
  teamRole: string,
  context: TeamContext,
  at: Instant,
): Assessment {
  if (team.members[staffId]) throw teamErrors.alreadyMember(staffId);
  const candidate = requireContext(context.candidate, 'candidate');
  if (candidate.staffId !== staffId)
    throw new Error(`context.candidate is ${candidate.staffId}, not ${staffId}.`);
  const rules = requireContext(context.rules, 'rules');
  const judgement = judgeTeamRole(
    candidate,
    { team, teamRole: requireText(teamRole, 'teamRole'), rules },
    at,
  );
  const { barrier, qualification, requirementsVersion } = judgement;
  if (barrier) {
    throw (
      teamRoleRefusal(team, teamRole, barrier, judgement.frameworkVersion, at) ??
      teamErrors.memberNotEligible(staffId, barrier.reason)
    );
  }
  if (!qualification || requirementsVersion === null || judgement.agency === null)
    throw new Error('a judgement without a barrier carries its qualification');
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
  return { candidate, agency: judgement.agency, qualification, snapshot, requirementsVersion };
}

/**
 * The refusal of a barrier that concerns the team role rather than the person (a role the
 * framework in force does not define, no framework adopted): the assignment and the eligibility
 * query answer these the same way. Null for a barrier of the person's own.
 */
export function teamRoleRefusal(
  team: { readonly jurisdiction: string },
  teamRole: string,
  barrier: Barrier,
  frameworkVersion: string | null,
  at: Instant,
): DomainRuleError | null {
  if (barrier.kind === 'unknown-role') return teamErrors.unknownRole(teamRole, frameworkVersion ?? '');
  if (barrier.kind === 'no-framework') {
    return new DomainRuleError(
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
      `${team.jurisdiction} had not adopted a training framework on ${at}, so no requirements can be checked.`,
      { jurisdiction: team.jurisdiction, date: at },
    );
  }
  return null;
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
