import { STATUS_CODES } from 'node:http';
import { isConnectionError, CadreError, type ErrorCategory } from '@cadre/kernel';
import { HttpException } from '@nestjs/common';

/** An RFC 9457 problem document, with Cadre's stable `code` and the request's `correlationId`. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly correlationId: string;
  readonly instance?: string;
  readonly [member: string]: unknown;
}

export interface RenderedProblem {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ProblemDocument;
  /** Bugs are logged as errors, unavailability as a warning; 4xx are the caller's business (debug). */
  readonly severity: 'debug' | 'warn' | 'error';
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Problem types are URNs: stable identifiers that do not pretend to be documentation pages. */
export const problemType = (code: string): string => `urn:cadre:problem:${code}`;

const CATEGORY: Record<ErrorCategory, { status: number; title: string }> = {
  validation: { status: 400, title: 'The request is invalid' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  precondition: { status: 412, title: 'Precondition failed' },
  too_large: { status: 413, title: 'Content too large' },
  rule: { status: 422, title: 'Refused by a business rule' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

/** Fastify's own refusals, reached as HttpExceptions whose cause carries Fastify's code. */
const FASTIFY_CODES: Record<string, { code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'REQUEST.BODY_TOO_LARGE',
    detail: 'The request body is larger than the 256 kB this API accepts.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'REQUEST.MALFORMED_JSON',
    detail: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'REQUEST.MALFORMED_JSON',
    detail: 'The request says its body is JSON but the body is empty.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    detail: 'The request body has a content type this API does not accept; send application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'REQUEST.INVALID_CONTENT_LENGTH',
    detail: 'The request body does not match its Content-Length.',
  },
  FST_ERR_BAD_URL: {
    code: 'REQUEST.MALFORMED_URL',
    detail: 'The request path does not decode: a percent-escape is not valid UTF-8.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'REQUEST.URI_TOO_LONG',
    detail: 'A path parameter is longer than the 100 characters this API accepts.',
  },
};

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'correlationId', 'instance']);

export interface ProblemContext {
  readonly correlationId: string;
  /** The request path (never the query string, which may carry secrets). */
  readonly instance?: string;
}

/** Renders anything thrown while serving a request as a problem document. Pure. */
export function renderProblem(exception: unknown, context: ProblemContext): RenderedProblem {
  if (isCadreError(exception)) return fromCadreError(exception, context);
  if (exception instanceof HttpException) return fromHttpException(exception, context);
  // A database that is unreachable or full (from any pool: read models, TypeORM) is a 503, not a bug.
  // A statement past its time limit (CADRE_READ_TIMEOUT_MS: a lock held on a read model, a read
  // too heavy): the connection is free again, and so is the caller.
  if (isStatementTimeout(exception)) {
    return problem(503, 'DATABASE.TIMEOUT', {
      title: 'Service unavailable',
      detail: 'The database did not answer within its time limit; retry shortly.',
      headers: { 'retry-after': '5' },
      context,
    });
  }
  if (isConnectionError(exception)) {
    return problem(503, 'DATABASE.UNAVAILABLE', {
      title: 'Service unavailable',
      detail: 'The database cannot be reached right now; retry shortly.',
      headers: { 'retry-after': '5' },
      context,
    });
  }
  return problem(500, 'INTERNAL.UNEXPECTED', {
    title: 'Internal server error',
    detail: `Something went wrong on our side. Quote the correlation id ${context.correlationId} when reporting it.`,
    context,
  });
}

function fromCadreError(error: CadreError, context: ProblemContext): RenderedProblem {
  const { status, title } = CATEGORY[error.category];
  const headers: Record<string, string> = {};
  if (error.category === 'rate_limited' || error.category === 'unavailable') {
    const seconds = Number(error.details.retryAfterSeconds);
    headers['retry-after'] = String(Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 5);
  }
  if (error.category === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="cadre"';
  return problem(status, error.code, {
    title,
    detail: error.message,
    members: error.details,
    headers,
    context,
  });
}

function fromHttpException(exception: HttpException, context: ProblemContext): RenderedProblem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const fastify = fastifyCode(exception.cause);
  if (fastify) return problem(status, fastify.code, { detail: fastify.detail, context });
  const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  // @nestjs/terminus answers a failed readiness check with the state of each indicator.
  if (status === 503 && body.status === 'error' && typeof body.details === 'object') {
    return problem(status, 'HEALTH.NOT_READY', {
      detail: 'A dependency is not reachable: see checks.',
      members: { checks: body.details },
      headers: { 'retry-after': '5' },
      context,
    });
  }
  const message = typeof response === 'string' ? response : body.message;
  const detail = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : exception.message;
  return problem(status, `HTTP.${reasonCode(status)}`, { detail, context });
}

interface ProblemParts {
  readonly title?: string;
  readonly detail: string;
  readonly members?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly context: ProblemContext;
}

function problem(status: number, code: string, parts: ProblemParts): RenderedProblem {
  const members = Object.fromEntries(
    Object.entries(parts.members ?? {}).filter(([key]) => !RESERVED.has(key)),
  );
  return {
    status,
    headers: parts.headers ?? {},
    severity: status === 503 ? 'warn' : status >= 500 ? 'error' : 'debug',
    body: {
      type: problemType(code),
      title: parts.title ?? STATUS_CODES[status] ?? 'Error',
      status,
      detail: parts.detail,
      code,
      correlationId: parts.context.correlationId,
      ...(parts.context.instance ? { instance: parts.context.instance } : {}),
      ...members,
    },
  };
}

const reasonCode = (status: number): string =>
  (STATUS_CODES[status] ?? `STATUS_${status}`).toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function fastifyCode(cause: unknown): { code: string; detail: string } | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
}

/** `instanceof`, or the same shape from another copy of the domain module. */
function isCadreError(value: unknown): value is CadreError {
  if (value instanceof CadreError) return true;
  if (!(value instanceof Error)) return false;
  const { code, category, details } = value as Partial<CadreError>;
  return (
    typeof code === 'string' &&
    typeof category === 'string' &&
    category in CATEGORY &&
    typeof details === 'object'
  );
}

/** PostgreSQL's `query_canceled` (57014): `statement_timeout` ran out (as `pg` or TypeORM reports it). */
function isStatementTimeout(exception: unknown): boolean {
  if (typeof exception !== 'object' || exception === null) return false;
  const { code, driverError } = exception as { code?: unknown; driverError?: { code?: unknown } };
  return code === '57014' || driverError?.code === '57014';
}
