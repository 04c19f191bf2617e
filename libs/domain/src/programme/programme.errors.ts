import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { GrantedCompetency } from './programme.events.js';

const scopeName = (scope: string): string => (scope === '*' ? 'the region (*)' : scope);

/** Refusals of a training programme, by stable code. */
export const programmeErrors = {
  notFound: (programmeId: string) =>
    new DomainNotFoundError('PROGRAMME.NOT_FOUND', 'This training programme has not been defined.', {
      programmeId,
    }),
  alreadyDefined: (programmeId: string) =>
    new DomainConflictError('PROGRAMME.ALREADY_DEFINED', 'This training programme is already defined.', {
      programmeId,
    }),
  retired: (programmeId: string) =>
    new DomainConflictError(
      'PROGRAMME.RETIRED',
      'This training programme has been retired: it can no longer be changed or scheduled.',
      { programmeId },
    ),
  duplicateCompetency: (competency: string) =>
    new DomainValidationError(
      'PROGRAMME.DUPLICATE_COMPETENCY',
      `Competency "${competency}" is listed twice: a programme grants each competency at one level.`,
      { competency },
    ),
  outsideScope: (programmeId: string, scope: string) =>
    new DomainForbiddenError(
      'PROGRAMME.OUTSIDE_SCOPE',
      `This training programme belongs to ${scopeName(scope)}: only a training coordinator of that scope may revise or retire it.`,
      { programmeId, scope },
    ),
  scopeNotYours: (scope: string) =>
    new DomainForbiddenError(
      'PROGRAMME.OUTSIDE_SCOPE',
      `You may only define a programme for a scope you coordinate; ${scopeName(scope)} is not one of them.`,
      { scope },
    ),
  scopeRequired: (jurisdictions: readonly string[]) =>
    new DomainValidationError(
      'PROGRAMME.SCOPE_REQUIRED',
      jurisdictions.length === 0
        ? 'You act in no jurisdiction, so a programme you define would belong to none.'
        : `You act in several jurisdictions (${jurisdictions.join(', ')}): say which one the programme belongs to ("scope").`,
      { field: 'scope', jurisdictions },
    ),
  noPublishedFramework: () =>
    new DomainRuleError(
      'PROGRAMME.NO_PUBLISHED_FRAMEWORK',
      'No training framework version is published yet: a programme grants only competencies and levels the latest published version defines.',
    ),
  notInFramework: (version: string, undefinedGrants: readonly GrantedCompetency[]) =>
    new DomainRuleError(
      'PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK',
      `Framework ${version}, the latest published version, does not define ${undefinedGrants
        .map(({ competency, level }) => `${competency} at level ${level}`)
        .join(', ')}: a programme grants only the competencies and levels it defines.`,
      { frameworkVersion: version, competencies: undefinedGrants },
    ),
};
