import { CadreError } from '@cadre/kernel';

/** A query-string parameter that cannot be read (HTTP 400): the problem names the parameter. */
export class InvalidQueryParameterError extends CadreError {
  readonly category = 'validation' as const;
  constructor(
    readonly parameter: string,
    expected: string,
  ) {
    super('QUERY.INVALID_PARAMETER', `The query parameter "${parameter}" must be ${expected}.`, {
      parameter,
    });
  }
}
