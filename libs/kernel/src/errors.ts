/**
 * The one error model of Cadre. Every refusal carries a stable machine-readable `code`
 * (`TEAM.MEMBER_NOT_QUALIFIED`), a human sentence (`message`) and a category that the HTTP layer
 * maps to a status (validation 400, not found 404, conflict 409, precondition 412, rule 422,
 * unavailable 503). The domain never speaks HTTP: it only names the category.
 */
export type ErrorCategory =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition'
  | 'rule'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export abstract class CadreError extends Error {
  abstract readonly category: ErrorCategory;

  constructor(
    readonly code: string,
    message: string,
    /** Extra machine-readable members of the problem document (e.g. `violations`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
