import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { PUBLIC_ROUTE, ROUTE_ROLES } from '../../auth/auth.decorators.js';
import { PROBLEM_DETAILS_SCHEMA, PROBLEM_SCHEMA_NAME } from './problem-details.schema.js';
import {
  mergeProblemCodes,
  ROUTE_PROBLEMS,
  type ProblemCodes,
  type ProblemStatus,
} from './problems.decorator.js';

/** What the application adds to every operation of a kind (its interceptors' headers and codes). */
export interface ContractConvention {
  readonly parameters?: readonly ParameterObject[];
  readonly problems?: ProblemCodes;
}

export interface ContractConventions {
  /** Every GET. */
  readonly reads?: ContractConvention;
  /** Every POST and DELETE. */
  readonly writes?: ContractConvention;
}

const AUTHENTICATED: ProblemCodes = {
  401: [
    'AUTH.TOKEN_MISSING',
    'AUTH.TOKEN_INVALID',
    'AUTH.TOKEN_EXPIRED',
    'AUTH.TOKEN_NOT_YET_VALID',
    'AUTH.TOKEN_LIFETIME_TOO_LONG',
  ],
  403: ['AUTH.ROLE_NOT_ADMITTED'],
  429: ['REQUEST.RATE_LIMITED'],
};
/** Public routes are limited per client address, except the health probes (never limited). */
const PUBLIC_LIMITED: ProblemCodes = { 429: ['REQUEST.RATE_LIMITED'] };
const WITH_BODY: ProblemCodes = {
  400: [
    'REQUEST.VALIDATION_FAILED',
    'REQUEST.MALFORMED_JSON',
    'REQUEST.INVALID_CONTENT_LENGTH',
    'REQUEST.BODY_TOO_DEEP',
    'REQUEST.BODY_NOT_OBJECT',
    'COMMAND.TEXT_NOT_PLAIN',
  ],
  413: ['REQUEST.BODY_TOO_LARGE'],
  415: ['REQUEST.UNSUPPORTED_MEDIA_TYPE'],
};
const WITH_QUERY: ProblemCodes = { 400: ['REQUEST.VALIDATION_FAILED'] };
/** The router refuses a path parameter longer than it takes (request-edge.ts). */
const WITH_PATH_PARAMETERS: ProblemCodes = { 414: ['REQUEST.URI_TOO_LONG'] };
/** A path or query parameter (any route may be sent a query) that is not plain text. */
const EVERY_REQUEST: ProblemCodes = { 400: ['REQUEST.TEXT_NOT_PLAIN'] };
const EVERY_ROUTE: ProblemCodes = {
  500: ['INTERNAL.UNEXPECTED'],
  503: ['DATABASE.UNAVAILABLE', 'DATABASE.TIMEOUT', 'EVENT_STORE.UNAVAILABLE', 'SERVICE.STOPPING'],
};

const TITLES: Record<ProblemStatus, string> = {
  400: 'The request is invalid',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'Precondition failed (If-Match)',
  413: 'Content too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Refused by a business rule',
  429: 'Too many requests',
  500: 'Unexpected error',
  503: 'Service unavailable',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Route {
  readonly handler: () => unknown;
  readonly controller: new (...args: never[]) => unknown;
}

/**
 * Completes the document @nestjs/swagger builds from the decorators with what the decorators of
 * the platform already say, so that nothing is written twice: who may call each operation
 * (`@Public()`: `security: []`; `@Roles(...)`: `x-cadre-roles` and a line of the description),
 * and every problem response with its codes — the route's `@Problems(...)`, its controller's, and
 * those every route of its kind can answer (authentication, a request body, the conventions of
 * the application's interceptors). Each problem response's schema is `ProblemDetails` with the
 * codes as the `enum` of `code`. Operations are matched to their handlers by operationId
 * (`<Controller>_<method>`, the @nestjs/swagger default); an operation without a handler stops it.
 */
export function completeContract(
  document: OpenAPIObject,
  app: INestApplication,
  conventions: ContractConventions = {},
): OpenAPIObject {
  const reflector = app.get(Reflector);
  const routes = routesByOperationId(app);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_DETAILS_SCHEMA },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const route = routes.get(operation.operationId ?? '');
      if (!route)
        throw new Error(`OpenAPI: no handler for ${method.toUpperCase()} ${path} (${operation.operationId})`);
      const targets = [route.handler, route.controller];
      const open = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true;
      const roles = reflector.getAllAndOverride<string[] | undefined>(ROUTE_ROLES, targets) ?? [];
      const convention =
        method === 'get'
          ? conventions.reads
          : ['post', 'delete'].includes(method)
            ? conventions.writes
            : undefined;
      addParameters(operation, convention?.parameters ?? []);
      describeAccess(operation, open, roles);
      const query = (operation.parameters ?? []).some(
        (p) => 'in' in p && p.in === 'query' && p.name !== 'minPosition',
      );
      const problems = [
        open ? (path.startsWith('/health/') ? {} : PUBLIC_LIMITED) : AUTHENTICATED,
        operation.requestBody ? WITH_BODY : {},
        query ? WITH_QUERY : {},
        path.includes('{') ? WITH_PATH_PARAMETERS : {},
        EVERY_REQUEST,
        convention?.problems ?? {},
        (Reflect.getMetadata(ROUTE_PROBLEMS, route.controller) as ProblemCodes | undefined) ?? {},
        (Reflect.getMetadata(ROUTE_PROBLEMS, route.handler) as ProblemCodes | undefined) ?? {},
        EVERY_ROUTE,
      ].reduce(mergeProblemCodes, {});
      declareProblems(operation, problems);
      textBodiesAreStrings(operation);
    }
  }
  return document;
}

function routesByOperationId(app: INestApplication): Map<string, Route> {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const routes = new Map<string, Route>();
  for (const { metatype, instance } of discovery.getControllers()) {
    if (!metatype || !instance) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      routes.set(`${(instance as object).constructor.name}_${name}`, {
        handler: prototype[name],
        controller: metatype as Route['controller'],
      });
    }
  }
  return routes;
}

function addParameters(operation: OperationObject, parameters: readonly ParameterObject[]): void {
  const present = new Set((operation.parameters ?? []).map((p) => ('name' in p ? `${p.in}:${p.name}` : '')));
  const missing = parameters.filter((p) => !present.has(`${p.in}:${p.name}`));
  if (missing.length > 0) operation.parameters = [...(operation.parameters ?? []), ...missing];
}

function describeAccess(operation: OperationObject, open: boolean, roles: readonly string[]): void {
  const access = open
    ? 'Public: no token needed.'
    : `Roles admitted: ${roles.map((role) => `\`${role}\``).join(', ')} (any one of them).`;
  operation.description = operation.description ? `${operation.description}\n\n${access}` : access;
  if (open) {
    operation.security = [];
  } else {
    operation.security = [{ bearer: [] }];
    (operation as OperationObject & { 'x-cadre-roles'?: readonly string[] })['x-cadre-roles'] = roles;
  }
}

/** A route that `@ApiProduces` JSON and text answers the text (CSV, event streams, metrics) as a string. */
function textBodiesAreStrings(operation: OperationObject): void {
  for (const response of Object.values(operation.responses) as ResponseObject[]) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      if (type.startsWith('text/')) media.schema = { type: 'string' };
    }
  }
}

function declareProblems(operation: OperationObject, problems: ProblemCodes): void {
  for (const [key, codes] of Object.entries(problems)) {
    const status = Number(key) as ProblemStatus;
    if (!codes || codes.length === 0) continue;
    const existing = operation.responses[key] as ResponseObject | undefined;
    const listed = `Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.`;
    operation.responses[key] = {
      description: existing?.description
        ? `${existing.description} ${listed}`
        : `${TITLES[status]}. ${listed}`,
      content: {
        'application/problem+json': {
          schema: {
            allOf: [
              { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` },
              {
                type: 'object',
                properties: {
                  status: { type: 'integer', enum: [status] },
                  code: { type: 'string', enum: [...codes] },
                },
              },
            ],
          },
        },
      },
    };
  }
}
