import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { CadreError, plainTextProblem } from '@cadre/kernel';
import { PROBLEM_CONTENT_TYPE, problemType, renderProblem } from '../errors/problem-details.js';
import { TextNotPlainError } from '../errors/request-errors.js';
import { CORRELATION_ID_HEADER } from '../logging/request-context.js';

/**
 * What the API refuses at its edge, before a controller, a pipe or class-transformer sees the
 * request (docs/decisions/0018-fuzzing.md): bodies nested too deep or that are not a JSON object,
 * lone surrogates anywhere in a body, path and query parameters that are not plain text, and the
 * refusals Fastify and Node.js make themselves (a malformed URL, an over-long path parameter,
 * headers over 16 kB), each a 4xx problem document with a stable code.
 */

/** The deepest nesting of objects and arrays a JSON body may have (a command's is 3 at most). */
export const MAX_BODY_DEPTH = 32;

export class BodyTooDeepError extends CadreError {
  readonly category = 'validation' as const;
  constructor() {
    super(
      'REQUEST.BODY_TOO_DEEP',
      `The request body nests objects and arrays more than ${MAX_BODY_DEPTH} deep.`,
      { maxDepth: MAX_BODY_DEPTH },
    );
  }
}

export class BodyNotObjectError extends CadreError {
  readonly category = 'validation' as const;
  constructor(kind: string) {
    super('REQUEST.BODY_NOT_OBJECT', `The request body must be a JSON object, not ${kind}.`);
  }
}

/** A path or query parameter (or a query parameter's name) that is not plain text (decision 0017). */
export class ParameterNotPlainError extends CadreError {
  readonly category = 'validation' as const;
  constructor(location: 'path' | 'query', parameter: string, message: string) {
    super(
      'REQUEST.TEXT_NOT_PLAIN',
      `The ${location} parameter ${parameter} must be plain text: ${message}.`,
      { parameter, in: location },
    );
  }
}

/**
 * How deep `json` nests objects and arrays, read as bytes without parsing (strings skipped), or
 * `MAX_BODY_DEPTH + 1` as soon as it goes deeper: so that nothing recursive (the JSON parser's
 * prototype-poisoning scan, class-transformer, class-validator) ever walks a deeper body.
 */
export function jsonDepthExceeds(json: Buffer | string, max = MAX_BODY_DEPTH): boolean {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i += 1; // a backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

type Done = (error: Error | null, body?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: string, done: Done) => void;

/**
 * The parser of `application/json` bodies: refuses one nested deeper than {@link MAX_BODY_DEPTH}
 * with 400 `REQUEST.BODY_TOO_DEEP` before parsing, then parses with Fastify's own parser (its
 * refusals keep their codes: `REQUEST.MALFORMED_JSON`, …).
 */
export const depthLimitedJsonParser =
  (parse: JsonParser) =>
  (request: FastifyRequest, body: Buffer, done: Done): void => {
    if (jsonDepthExceeds(body)) {
      done(new BodyTooDeepError());
      return;
    }
    parse(request, body.toString('utf8'), done);
  };

/**
 * The `preValidation` hook: a body, once parsed, is a JSON object (every body of this API is one;
 * `null`, a number, a string or an array is 400 `REQUEST.BODY_NOT_OBJECT`), and none of its
 * strings or member names holds a lone surrogate, which is not Unicode at all (validators throw
 * on one: `isEmail`'s `encodeURI`): 400 `COMMAND.TEXT_NOT_PLAIN` naming the field.
 */
export function checkParsedBody(request: FastifyRequest): void {
  const body: unknown = request.body;
  if (body === undefined) return;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BodyNotObjectError(
      body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`,
    );
  }
  const field = loneSurrogateField(body);
  if (field !== undefined) {
    const problem = plainTextProblem(field.text);
    const message = `${field.path} must be plain text: ${problem?.message ?? 'it is not valid Unicode'}`;
    throw new TextNotPlainError([field.path], [{ field: field.path, messages: [message] }]);
  }
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The first string (or member name) of `value` holding a lone surrogate, with its dotted path. */
function loneSurrogateField(value: object): { path: string; text: string } | undefined {
  const pending: [string, unknown][] = [['', value]];
  while (pending.length > 0) {
    const [path, current] = pending.pop() as [string, unknown];
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return { path: path || 'body', text: current };
    } else if (current !== null && typeof current === 'object') {
      for (const [key, member] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) return { path: path || 'body', text: key };
        pending.push([at, member]);
      }
    }
  }
  return undefined;
}

/**
 * The `onRequest` hook after authentication: every path parameter, every query parameter's value
 * (each one of a repeated parameter) and name is plain text (`plainTextProblem`, decision 0017),
 * or 400 `REQUEST.TEXT_NOT_PLAIN` names the parameter. A NUL reached PostgreSQL as a 500 before.
 */
export function checkParameters(request: FastifyRequest): void {
  const sources: ['path' | 'query', unknown][] = [
    ['path', request.params],
    ['query', request.query],
  ];
  for (const [location, values] of sources) {
    if (values === null || typeof values !== 'object') continue;
    for (const [name, value] of Object.entries(values)) {
      const nameProblem = plainTextProblem(name);
      if (nameProblem) {
        throw new ParameterNotPlainError(location, 'name', `a parameter's name: ${nameProblem.message}`);
      }
      for (const text of Array.isArray(value) ? value : [value]) {
        const problem = typeof text === 'string' ? plainTextProblem(text) : undefined;
        if (problem) throw new ParameterNotPlainError(location, name, problem.message);
      }
    }
  }
}

/**
 * Fastify's `frameworkErrors`: the router's own refusals — a URL that does not decode (400
 * `REQUEST.MALFORMED_URL`), a path parameter longer than the router takes (414
 * `REQUEST.URI_TOO_LONG`) — as problem documents, like every other answer.
 */
export const frameworkErrors: FastifyServerOptions['frameworkErrors'] = (error, request, reply) => {
  const correlationId = String(request.id);
  const rendered = renderProblem(
    new HttpException(error.message, error.statusCode ?? 400, { cause: error }),
    {
      correlationId,
      instance: request.url.split('?')[0],
    },
  );
  void (reply as FastifyReply)
    .status(rendered.status)
    .headers({ ...rendered.headers, [CORRELATION_ID_HEADER]: correlationId })
    .type(PROBLEM_CONTENT_TYPE)
    .send(rendered.body);
};

interface ClientRefusal {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
}

/** What Node.js's HTTP parser refused, as a problem: headers too large, a timeout, a malformed request. */
export function clientRefusal(error: { code?: string }): ClientRefusal {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'REQUEST.HEADERS_TOO_LARGE',
        detail: 'The request headers are larger than the 16 kB this API accepts.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST.TIMEOUT', detail: 'The request was not received in time.' };
    default:
      return { status: 400, code: 'REQUEST.MALFORMED_HTTP', detail: 'The request is not valid HTTP/1.1.' };
  }
}

/**
 * Fastify's `clientErrorHandler`: Node.js refuses the request before Fastify has one (no route,
 * no hooks), so the problem document is written to the socket as it is, and the connection closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, detail } = clientRefusal(error);
  const correlationId = randomUUID();
  const body = JSON.stringify({
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    correlationId,
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${CORRELATION_ID_HEADER}: ${correlationId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
