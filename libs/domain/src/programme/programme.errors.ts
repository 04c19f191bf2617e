import { DomainConflictError, DomainNotFoundError, DomainValidationError } from '../shared/domain-errors.js';

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
};
