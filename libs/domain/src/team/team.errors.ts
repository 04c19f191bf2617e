import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { Violation } from '../shared/qualification.js';

export interface MissingDiscipline {
  readonly role: string;
  readonly required: number;
  readonly present: number;
}

/** Refusals of a multi-disciplinary team, by stable code. */
export const teamErrors = {
  notFound: (teamId: string) =>
    new DomainNotFoundError('TEAM.NOT_FOUND', 'This team has not been formed.', { teamId }),
  alreadyFormed: (teamId: string) =>
    new DomainConflictError('TEAM.ALREADY_FORMED', 'This team has already been formed.', { teamId }),
  dissolved: (teamId: string) =>
    new DomainConflictError('TEAM.DISSOLVED', 'This team has been dissolved and can no longer change.', {
      teamId,
    }),
  notManager: (jurisdiction: string) =>
    new DomainForbiddenError(
      'TEAM.NOT_A_MANAGER',
      `Only a manager of ${jurisdiction} may form this team or decide who serves on it.`,
      { jurisdiction },
    ),
  alreadyMember: (staffId: string) =>
    new DomainConflictError('TEAM.ALREADY_MEMBER', 'This person is already a member of the team.', {
      staffId,
    }),
  notMember: (staffId: string) =>
    new DomainNotFoundError('TEAM.NOT_A_MEMBER', 'This person is not a member of the team.', { staffId }),
  memberNotEligible: (staffId: string, why: string) =>
    new DomainRuleError('TEAM.MEMBER_NOT_ELIGIBLE', `This person cannot serve on the team: ${why}.`, {
      staffId,
      why,
    }),
  unknownRole: (role: string, version: string) =>
    new DomainRuleError(
      'TEAM.UNKNOWN_ROLE',
      `"${role}" is not a role of the framework in force (${version}).`,
      {
        role,
        frameworkVersion: version,
      },
    ),
  notQualified: (staffId: string, teamRole: string, violations: readonly Violation[]) =>
    new DomainRuleError(
      'TEAM.MEMBER_NOT_QUALIFIED',
      `This person does not meet every requirement for the ${teamRole} role: ${violations
        .map(
          (v) =>
            `${v.competency} at level ${v.requiredLevel} (holds ${v.held ? `${v.held.level}, ${v.held.standing}` : 'nothing'})`,
        )
        .join('; ')}. Assign someone qualified, or request an override with a justification.`,
      { staffId, teamRole, violations },
    ),
  overridePending: (staffId: string, overrideId: string) =>
    new DomainConflictError(
      'TEAM.OVERRIDE_PENDING',
      'An override for this person is already awaiting approval.',
      {
        staffId,
        overrideId,
      },
    ),
  overrideNotFound: (overrideId: string) =>
    new DomainNotFoundError('TEAM.OVERRIDE_NOT_FOUND', 'There is no such override request for this team.', {
      overrideId,
    }),
  overrideDecided: (overrideId: string) =>
    new DomainConflictError(
      'TEAM.OVERRIDE_ALREADY_DECIDED',
      'This override request has already been decided.',
      {
        overrideId,
      },
    ),
  selfApproval: (overrideId: string) =>
    new DomainForbiddenError(
      'TEAM.OVERRIDE_SELF_APPROVAL',
      'An override must be approved by a different manager from the one who requested it.',
      { overrideId },
    ),
  duplicateDiscipline: (role: string) =>
    new DomainValidationError(
      'TEAM.DUPLICATE_DISCIPLINE',
      `"${role}" is named twice in requiredDisciplines: name each role once, with its minimum count.`,
      { role },
    ),
  leadNotMember: (staffId: string) =>
    new DomainRuleError('TEAM.LEAD_NOT_A_MEMBER', 'Only a member of the team can be designated its lead.', {
      staffId,
    }),
  disciplinesMissing: (missing: readonly MissingDiscipline[], agenciesMissing: readonly string[]) =>
    new DomainRuleError(
      'TEAM.NOT_READY',
      `The team cannot be declared operational yet: ${[
        ...missing.map((m) => `${m.role} ${m.present}/${m.required}`),
        ...agenciesMissing.map((agency) => `no qualified ${agency} member`),
      ].join('; ')}.`,
      { missing, agenciesMissing },
    ),
};
