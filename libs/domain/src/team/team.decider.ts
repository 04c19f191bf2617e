import { isManagerOf } from '../shared/actor.js';
import { assertNever, eventFactory, type Decider } from '../shared/decider.js';
import { requireInteger, requireNonEmpty, requireOneOf, requireText } from '../shared/validation.js';
import type { FormTeam, TeamCommand } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamErrors } from './team.errors.js';
import { TEAM_KINDS, type TeamEvent } from './team.events.js';
import { evolveTeam, initialTeamState, readiness, type TeamState } from './team.state.js';
import {
  assessCandidate,
  justificationOf,
  overrideToApprove,
  pendingOverrideFor,
} from './team-assignment.decide.js';
import { voidLeavesRequirementUnmet } from './team-lapse.decide.js';

export function decideTeam(command: TeamCommand, state: TeamState, context: TeamContext): TeamEvent[] {
  const emit = eventFactory<TeamEvent>(command, context);
  const { actor } = context;
  const { teamId } = command.data;
  if (command.type === 'FormTeam') {
    if (state.status !== 'none') throw teamErrors.alreadyFormed(teamId);
    if (!isManagerOf(actor, command.data.jurisdiction))
      throw teamErrors.notManager(command.data.jurisdiction);
    return [emit('TeamFormed', formation(command))];
  }
  if (state.status === 'none') throw teamErrors.notFound(teamId);
  if (state.status === 'dissolved') throw teamErrors.dissolved(teamId);
  // The lapse process acts for the system, not as a manager.
  if (command.type !== 'RecordMemberQualificationLapse' && !isManagerOf(actor, state.jurisdiction)) {
    throw teamErrors.notManager(state.jurisdiction);
  }
  switch (command.type) {
    case 'AssignMember': {
      const { staffId, teamRole } = command.data;
      const justification = justificationOf(command);
      const pending = pendingOverrideFor(state, staffId);
      if (pending) throw teamErrors.overridePending(staffId, pending.overrideId);
      const { candidate, qualification, snapshot, requirementsVersion } = assessCandidate(
        state,
        staffId,
        teamRole,
        context,
        emit.occurredAt,
      );
      const { violations } = qualification;
      if (qualification.qualified) {
        const assignedBy = actor.sub;
        const assigned = { teamId, staffId, teamRole, agency: candidate.agency, assignedBy };
        return [
          emit('MemberAssigned', {
            ...assigned,
            qualification: snapshot,
            requirementsVersion,
            override: null,
          }),
        ];
      }
      if (justification === undefined) throw teamErrors.notQualified(staffId, teamRole, violations);
      const overrideId = context.newId();
      const requestedBy = actor.sub;
      const request = {
        teamId,
        overrideId,
        staffId,
        teamRole,
        justification,
        requestedBy,
        violations,
        requirementsVersion,
      };
      return [emit('AssignmentOverrideRequested', request)];
    }
    case 'ApproveAssignmentOverride': {
      const override = overrideToApprove(state, command, actor);
      const { staffId, teamRole, justification, requestedBy, overrideId } = override;
      // Re-checked at approval: the member may have left or moved while the request waited.
      const { candidate, qualification, snapshot, requirementsVersion } = assessCandidate(
        state,
        staffId,
        teamRole,
        context,
        emit.occurredAt,
      );
      const approvedBy = actor.sub;
      const info = {
        overrideId,
        justification,
        requestedBy,
        approvedBy,
        violations: qualification.violations,
      };
      return [
        emit('AssignmentOverrideApproved', { teamId, overrideId, approvedBy }),
        emit('MemberAssigned', {
          teamId,
          staffId,
          teamRole,
          agency: candidate.agency,
          assignedBy: requestedBy,
          qualification: snapshot,
          requirementsVersion,
          override: info,
        }),
      ];
    }
    case 'RejectAssignmentOverride': {
      const override = state.overrides[command.data.overrideId];
      if (!override) throw teamErrors.overrideNotFound(command.data.overrideId);
      if (override.decision !== 'pending') throw teamErrors.overrideDecided(override.overrideId);
      const reason = requireText(command.data.reason, 'reason');
      return [
        emit('AssignmentOverrideRejected', {
          teamId,
          overrideId: override.overrideId,
          rejectedBy: actor.sub,
          reason,
        }),
      ];
    }
    case 'ReleaseMember': {
      const { staffId } = command.data;
      if (!state.members[staffId]) throw teamErrors.notMember(staffId);
      return [
        emit('MemberReleased', { teamId, staffId, reason: requireText(command.data.reason, 'reason') }),
      ];
    }
    case 'DesignateTeamLead': {
      const { staffId } = command.data;
      if (!state.members[staffId]) throw teamErrors.leadNotMember(staffId);
      return state.lead === staffId ? [] : [emit('TeamLeadDesignated', { teamId, staffId })];
    }
    case 'DeclareTeamOperational': {
      if (state.status === 'operational') return [];
      const { missing, agenciesMissing } = readiness(state);
      if (missing.length > 0 || agenciesMissing.length > 0)
        throw teamErrors.disciplinesMissing(missing, agenciesMissing);
      return [emit('TeamDeclaredOperational', { teamId })];
    }
    case 'RecordMemberQualificationLapse': {
      const { staffId, certificationId, cause } = command.data;
      const member = state.members[staffId];
      // Released meanwhile, or already recorded: nothing to record, and the process moves on.
      if (!member || member.lapsed.includes(certificationId)) return [];
      if (
        cause === 'voided' &&
        !voidLeavesRequirementUnmet(member, certificationId, context, emit.occurredAt)
      )
        return [];
      return [emit('MemberQualificationLapsed', { teamId, staffId, certificationId, cause })];
    }
    case 'DissolveTeam':
      return [emit('TeamDissolved', { teamId, reason: requireText(command.data.reason, 'reason') })];
    default:
      return assertNever(command);
  }
}

/**
 * A multi-disciplinary team (`team-<id>`) formed around a case. Managers of its jurisdiction
 * assign qualified members, or unqualified ones through an override approved by a second manager.
 */
export const teamDecider: Decider<TeamCommand, TeamEvent, TeamState, TeamContext> = {
  decide: decideTeam,
  evolve: evolveTeam,
  initialState: initialTeamState,
};

function formation(command: FormTeam) {
  const { teamId, jurisdiction } = command.data;
  const requiredDisciplines = requireNonEmpty(command.data.requiredDisciplines, 'requiredDisciplines').map(
    ({ role, minCount }, i) => ({
      role: requireText(role, `requiredDisciplines[${i}].role`),
      minCount: requireInteger(minCount, `requiredDisciplines[${i}].minCount`, 1, 50),
    }),
  );
  return {
    teamId,
    name: requireText(command.data.name, 'name'),
    jurisdiction,
    institutions: requireNonEmpty(command.data.institutions, 'institutions').map((i) =>
      requireText(i, 'institutions'),
    ),
    kind: requireOneOf(command.data.kind, TEAM_KINDS, 'kind'),
    caseRef: requireText(command.data.caseRef, 'caseRef'),
    requiredDisciplines,
  };
}
