import {
  DomainConflictError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';

/** Refusals of the training framework, by stable code. */
export const frameworkErrors = {
  notFound: (version: string) =>
    new DomainNotFoundError('FRAMEWORK.NOT_FOUND', `Framework version ${version} has not been drafted.`, {
      version,
    }),
  alreadyDrafted: (version: string) =>
    new DomainConflictError('FRAMEWORK.ALREADY_DRAFTED', `Framework version ${version} already exists.`, {
      version,
    }),
  publishedImmutable: (version: string) =>
    new DomainConflictError(
      'FRAMEWORK.PUBLISHED_IMMUTABLE',
      `Framework version ${version} is published and can no longer change; draft a new version instead.`,
      { version },
    ),
  notPublished: (version: string) =>
    new DomainConflictError(
      'FRAMEWORK.NOT_PUBLISHED',
      `Framework version ${version} has not been published.`,
      {
        version,
      },
    ),
  alreadyRetired: (version: string) =>
    new DomainConflictError('FRAMEWORK.RETIRED', `Framework version ${version} has been retired.`, {
      version,
    }),
  roleAlreadyDefined: (version: string, role: string) =>
    new DomainConflictError(
      'FRAMEWORK.ROLE_ALREADY_DEFINED',
      `Role "${role}" is already defined in ${version}.`,
      {
        version,
        role,
      },
    ),
  competencyAlreadyDefined: (version: string, competency: string) =>
    new DomainConflictError(
      'FRAMEWORK.COMPETENCY_ALREADY_DEFINED',
      `Competency "${competency}" is already defined in ${version}.`,
      { version, competency },
    ),
  requirementAlreadyDefined: (version: string, role: string, competency: string) =>
    new DomainConflictError(
      'FRAMEWORK.REQUIREMENT_ALREADY_DEFINED',
      `Role "${role}" already has a requirement for "${competency}" in ${version}.`,
      { version, role, competency },
    ),
  unknownRole: (version: string, role: string) =>
    new DomainRuleError(
      'FRAMEWORK.UNKNOWN_ROLE',
      `Role "${role}" is not defined in framework version ${version}.`,
      {
        version,
        role,
      },
    ),
  unknownCompetency: (version: string, competency: string) =>
    new DomainRuleError(
      'FRAMEWORK.UNKNOWN_COMPETENCY',
      `Competency "${competency}" is not defined in framework version ${version}.`,
      { version, competency },
    ),
  levelNotDefined: (version: string, competency: string, level: string) =>
    new DomainRuleError(
      'FRAMEWORK.LEVEL_NOT_DEFINED',
      `Competency "${competency}" defines no "${level}" level in ${version}, so nothing can be required or awarded at it.`,
      { version, competency, level },
    ),
  incomplete: (version: string) =>
    new DomainRuleError(
      'FRAMEWORK.INCOMPLETE',
      `Framework version ${version} needs at least one role and one competency before it can be published.`,
      { version },
    ),
  invalidLevels: (competency: string, problem: string) =>
    new DomainValidationError(
      'FRAMEWORK.INVALID_LEVELS',
      `The levels of "${competency}" are not valid: ${problem}.`,
      {
        competency,
      },
    ),
  invalidCode: (field: string, value: string) =>
    new DomainValidationError(
      'FRAMEWORK.INVALID_CODE',
      `"${value}" is not a valid ${field}: use lower-case letters, digits and dashes.`,
      { field, value },
    ),
};
