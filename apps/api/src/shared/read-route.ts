import { applyDecorators, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, type SchemaObject } from '@nestjs/swagger';
import { Problems, Roles, type ProblemCodes, type Role } from '@cadre/platform';

/** Who reads audit answers, who reads the managers' lists, and who reads a record as it stands. */
export const AUDIT_READERS: [Role, ...Role[]] = ['auditor', 'manager', 'admin'];
export const MANAGERS: [Role, ...Role[]] = ['manager', 'admin'];
export const RECORD_READERS: [Role, ...Role[]] = ['training-coordinator', 'manager', 'auditor', 'admin'];

/** What a read within the caller's jurisdictions can refuse: a bad parameter, another jurisdiction. */
export const READ_PROBLEMS: ProblemCodes = {
  400: ['QUERY.INVALID_PARAMETER'],
  403: ['ACTOR.OUTSIDE_JURISDICTION'],
};

export interface ReadRouteOptions {
  /** Below the controller's path (default: the path itself). */
  readonly path?: string;
  /** Who may call it; default: the roles its controller admits. */
  readonly roles?: [Role, ...Role[]];
  readonly summary: string;
  readonly description?: string;
  /** The schema of the JSON answer. */
  readonly ok: SchemaObject;
  /** The route also answers `Accept: text/csv`. */
  readonly csv?: boolean;
  /** Default: {@link READ_PROBLEMS}. */
  readonly problems?: ProblemCodes;
}

/**
 * A GET route of the api (the read side's answers, a record as it stands): who may call it, what it
 * answers (JSON, and CSV where it says so) and what it refuses.
 */
export const ReadRoute = (options: ReadRouteOptions) =>
  applyDecorators(
    Get(options.path),
    ...(options.roles === undefined ? [] : [Roles(...options.roles)]),
    ...(options.csv ? [ApiProduces('application/json', 'text/csv')] : []),
    ApiOperation({
      summary: options.summary,
      ...(options.description === undefined ? {} : { description: options.description }),
    }),
    ApiOkResponse({ description: 'The answer', schema: options.ok }),
    Problems(options.problems ?? READ_PROBLEMS),
  );
