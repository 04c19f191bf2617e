import { CadreError, type ErrorCategory } from '@cadre/kernel';

/** The command is malformed or incomplete (HTTP 400). */
export class DomainValidationError extends CadreError {
  readonly category: ErrorCategory = 'validation';
}

/** The command names something that does not exist (HTTP 404). */
export class DomainNotFoundError extends CadreError {
  readonly category: ErrorCategory = 'not_found';
}

/** The command conflicts with the current state of the aggregate (HTTP 409). */
export class DomainConflictError extends CadreError {
  readonly category: ErrorCategory = 'conflict';
}

/** A business rule refuses the command (HTTP 422). */
export class DomainRuleError extends CadreError {
  readonly category: ErrorCategory = 'rule';
}

/** The actor may not do this here: wrong jurisdiction, not a manager, approving their own request (HTTP 403). */
export class DomainForbiddenError extends CadreError {
  readonly category: ErrorCategory = 'forbidden';
}
