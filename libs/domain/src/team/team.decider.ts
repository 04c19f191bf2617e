import { isManagerOf } from '../shared/actor.js';
import { DomainRuleError } from '../shared/domain-errors.js';
import { adoptedVersionAt } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';
import {
  requireContext,
  requireInteger,
  requireNonEmpty,
  requireOneOf,
  requireText,
} from '../shared/validation.js';
import { assertNever, eventFactory, type Decider } from '../shared/decider.js';
import type { FormTeam, TeamCommand } from './team.commands.js';
import type { TeamContext } from './team.context.js';
import { teamErrors } from './team.errors.js';
import { TEAM_KINDS, type TeamEvent } from './team.events.js';
import { byRecordedStanding, evolveTeam, initialTeamState, readiness, type TeamState } from './team.state.js';
import {
  assessCandidate,
  justificationOf,
  overrideToApprove,
  pendingOverrideFor,
} from './team-assignment.decide.js';
import type { TeamRules } from './team-role.rule.js';
import { readinessAt, reviewStanding } from './team-standing.decide.js';

export function decideTeam(command: TeamCommand, state: TeamState, context: TeamContext): TeamEvent[] {
  const emit = eventFactory<TeamEvent>(command, context);
  const { actor } = context;
  const { teamId } = command.data;
  if (command.type === 'FormTeam') {
    if (state.status !== 'none') throw teamErrors.alreadyFormed(teamId);
    if (!isManagerOf(actor, command.data.jurisdiction))
      throw teamErrors.notManager(command.data.jurisdiction);
    return [emit('TeamFormed', formation(command, context, emit.occurredAt))];
  }
  if (state.status === 'none') throw teamErrors.notFound(teamId);
  if (state.status === 'dissolved') throw teamErrors.dissolved(teamId);
  // The standing process acts for the system, not as a manager.
  if (command.type === 'ReviewMemberStanding') {
    if (!actor.roles.includes('system')) throw teamErrors.notManager(state.jurisdiction);
  } else if (!isManagerOf(actor, state.jurisdiction)) {
    throw teamErrors.notManager(state.jurisdiction);
  }
  switch (command.type) {
    case 'AssignMember': {
      const { staffId, teamRole } = command.data;
      const justification = justificationOf(command);
      const pending = pendingOverrideFor(state, staffId);
      if (pending) throw teamErrors.overridePending(staffId, pending.overrideId);
      const { agency, qualification, snapshot, requirementsVersion } = assessCandidate(
        state,
        staffId,
        teamRole,
        context,
        emit.occurredAt,
      );
      const { violations } = qualification;
      if (qualification.qualified) {
        const assignedBy = actor.sub;
        const assigned = { teamId, staffId, teamRole, agency, assignedBy };
        return [
          emit('MemberAssigned', {
            ...assigned,
            qualification: snapshot,
            requirementsVersion,
            override: null,
            assignedAt: emit.occurredAt,
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
      const { agency, qualification, snapshot, requirementsVersion } = assessCandidate(
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
          agency,
          assignedBy: requestedBy,
          qualification: snapshot,
          requirementsVersion,
          override: info,
          assignedAt: emit.occurredAt,
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
      const released = emit('MemberReleased', {
        teamId,
        staffId,
        reason: requireText(command.data.reason, 'reason'),
      });
      const { [staffId]: _gone, ...members } = state.members;
      const remaining = readiness({ ...state, members }, byRecordedStanding);
      const lost = readinessLost(state, remaining, emit.occurredAt);
      return lost ? [released, emit('TeamReadinessLost', lost)] : [released];
    }
    case 'DesignateTeamLead': {
      const { staffId } = command.data;
      if (!state.members[staffId]) throw teamErrors.leadNotMember(staffId);
      return state.lead === staffId ? [] : [emit('TeamLeadDesignated', { teamId, staffId })];
    }
    case 'DeclareTeamOperational': {
      if (state.status === 'operational') return [];
      // By the clock: a member whose certificate ran out a second ago no longer counts.
      const persons = requireContext(context.members, 'members');
      const rules = requireContext(context.rules, 'rules');
      const { missing, agenciesMissing } = readinessAt(state, persons, rules, emit.occurredAt);
      if (missing.length > 0 || agenciesMissing.length > 0)
        throw teamErrors.disciplinesMissing(missing, agenciesMissing);
      return [emit('TeamDeclaredOperational', { teamId })];
    }
    case 'ReviewMemberStanding': {
      const { staffId, asOf } = command.data;
      const member = state.members[staffId];
      // Released meanwhile: nothing to record, and the process moves on.
      if (!member) return [];
      const persons = requireContext(context.members, 'members');
      const person = persons[staffId];
      if (!person) {
        throw new DomainRuleError('TEAM.MEMBER_HISTORY_MISSING', `No staff record of ${staffId} to judge.`, {
          staffId,
        });
      }
      const rules = requireContext(context.rules, 'rules');
      const change = reviewStanding(state, member, person, rules, asOf);
      if (!change) return [];
      const recorded = emit(change.type, change.data as never);
      if (change.type !== 'MemberLapsed') return [recorded];
      // The lapse is judged at asOf by the clock, so readiness is too: who else still counts then.
      const lost = readinessLost(state, readinessAt(state, persons, rules, asOf), change.data.since);
      return lost ? [recorded, emit('TeamReadinessLost', lost)] : [recorded];
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

/** An operational team that, after a change, misses a discipline: what `TeamReadinessLost` records. */
function readinessLost(before: TeamState, after: ReturnType<typeof readiness>, since: Instant) {
  if (before.status !== 'operational') return null;
  const { missing, agenciesMissing } = after;
  if (missing.length === 0 && agenciesMissing.length === 0) return null;
  return { teamId: before.teamId, since, missing, agenciesMissing };
}

/**
 * A team's required disciplines must be roles of the framework its jurisdiction has in force, each
 * named once: a team that could never be operational is refused at formation.
 */
function formation(command: FormTeam, context: TeamContext, at: Instant) {
  const { teamId, jurisdiction } = command.data;
  const requiredDisciplines = requireNonEmpty(command.data.requiredDisciplines, 'requiredDisciplines').map(
    ({ role, minCount }, i) => ({
      role: requireText(role, `requiredDisciplines[${i}].role`),
      minCount: requireInteger(minCount, `requiredDisciplines[${i}].minCount`, 1, 50),
    }),
  );
  const seen = new Set<string>();
  for (const { role } of requiredDisciplines) {
    if (seen.has(role)) throw teamErrors.duplicateDiscipline(role);
    seen.add(role);
  }
  const rules: TeamRules = requireContext(context.rules, 'rules');
  const version = adoptedVersionAt(rules.jurisdiction, at);
  const framework = version === undefined ? undefined : rules.frameworks[version];
  if (!framework) {
    throw new DomainRuleError(
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
      `${jurisdiction} has not adopted a training framework, so a team there has no requirements to meet; adopt one first.`,
      { jurisdiction, date: at },
    );
  }
  for (const { role } of requiredDisciplines)
    if (!framework.roles[role]) throw teamErrors.unknownRole(role, framework.version);
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
