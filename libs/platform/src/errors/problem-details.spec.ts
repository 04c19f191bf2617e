import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { CadreError, type ErrorCategory } from '@cadre/kernel';
import { renderProblem } from './problem-details.js';
import { RequestValidationError } from './request-errors.js';

const context = { correlationId: 'corr-1', instance: '/v1/teams/t-1/members' };

class SampleError extends CadreError {
  constructor(
    readonly category: ErrorCategory,
    details: Record<string, unknown> = {},
  ) {
    super('SAMPLE.REFUSED', 'A sentence a manager understands.', details);
  }
}

describe('renderProblem', () => {
  it.each<[ErrorCategory, number]>([
    ['validation', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['precondition', 412],
    ['too_large', 413],
    ['rule', 422],
    ['rate_limited', 429],
    ['unavailable', 503],
  ])('maps a CadreError of category %s to %i', (category, status) => {
    const { status: rendered, body } = renderProblem(new SampleError(category), context);
    expect(rendered).toBe(status);
    expect(body).toMatchObject({
      type: 'urn:cadre:problem:SAMPLE.REFUSED',
      status,
      code: 'SAMPLE.REFUSED',
      detail: 'A sentence a manager understands.',
      correlationId: 'corr-1',
      instance: '/v1/teams/t-1/members',
    });
    expect(typeof body.title).toBe('string');
  });

  it("adds the error's details as members, never over the reserved ones", () => {
    const violations = [{ role: 'lead', competency: 'risk', requiredLevel: 2, held: 1 }];
    const { body } = renderProblem(new SampleError('rule', { violations, status: 200, code: 'X' }), context);
    expect(body.violations).toEqual(violations);
    expect(body.status).toBe(422);
    expect(body.code).toBe('SAMPLE.REFUSED');
  });

  it('says when to retry on 429 and 503', () => {
    expect(
      renderProblem(new SampleError('rate_limited', { retryAfterSeconds: 2.2 }), context).headers,
    ).toEqual({
      'retry-after': '3',
    });
    expect(renderProblem(new SampleError('unavailable'), context).headers['retry-after']).toBe('5');
  });

  it('asks for a bearer token on 401', () => {
    expect(renderProblem(new SampleError('unauthenticated'), context).headers['www-authenticate']).toMatch(
      /^Bearer/,
    );
  });

  it('names each invalid field of a request', () => {
    const error = RequestValidationError.fromValidationErrors([
      { property: 'name', constraints: { isString: 'name must be a string' }, children: [] },
      {
        property: 'members',
        children: [
          {
            property: '0',
            children: [{ property: 'role', constraints: { isIn: 'role must be one of lead' } }],
          },
        ],
      },
      { property: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
    ]);
    const { status, body } = renderProblem(error, context);
    expect(status).toBe(400);
    expect(body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(body.violations).toEqual([
      { field: 'name', messages: ['name must be a string'] },
      { field: 'members.0.role', messages: ['members.0.role must be one of lead'] },
      { field: 'extra', messages: ['property extra should not exist'] },
    ]);
    expect(body.detail).toContain('members.0.role');
  });

  it('refuses text that is not plain text with the rule’s code, naming the field', () => {
    const error = RequestValidationError.fromValidationErrors([
      { property: 'name', constraints: { isString: 'name must be a string' }, children: [] },
      {
        property: 'override',
        children: [
          {
            property: 'justification',
            constraints: { isPlainText: 'justification must be plain text: it contains a NUL character' },
          },
        ],
      },
    ]);
    const { status, body } = renderProblem(error, context);
    expect(status).toBe(400);
    expect(body.code).toBe('COMMAND.TEXT_NOT_PLAIN');
    expect(body.field).toBe('override.justification');
    expect(body.fields).toEqual(['override.justification']);
    expect(body.violations).toEqual([
      { field: 'name', messages: ['name must be a string'] },
      {
        field: 'override.justification',
        messages: ['override.justification must be plain text: it contains a NUL character'],
      },
    ]);
    expect(body.detail).toContain('override.justification must be plain text');
  });

  it("renders Nest's HTTP exceptions with their status", () => {
    const { status, body } = renderProblem(new NotFoundException('Cannot GET /nope'), context);
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'HTTP.NOT_FOUND', title: 'Not Found', detail: 'Cannot GET /nope' });
    expect(renderProblem(new BadRequestException(['a is bad', 'b is bad']), context).body.detail).toBe(
      'a is bad; b is bad',
    );
  });

  it("recognises Fastify's refusals by their code", () => {
    const tooLarge = new HttpException('Request body is too large', 413, {
      cause: Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
    });
    expect(renderProblem(tooLarge, context).body).toMatchObject({
      status: 413,
      code: 'REQUEST.BODY_TOO_LARGE',
    });
    const badJson = new HttpException('bad', 400, {
      cause: Object.assign(new SyntaxError('Unexpected token'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }),
    });
    expect(renderProblem(badJson, context).body).toMatchObject({
      status: 400,
      code: 'REQUEST.MALFORMED_JSON',
    });
  });

  it('reports a failed readiness check with the state of each dependency', () => {
    const details = { eventStore: { status: 'down' }, readModelDatabase: { status: 'up' } };
    const { status, body, headers } = renderProblem(
      new ServiceUnavailableException({ status: 'error', info: {}, error: {}, details }),
      context,
    );
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'HEALTH.NOT_READY', checks: details });
    expect(headers['retry-after']).toBe('5');
  });

  it('answers anything else with a generic 500 that leaks nothing', () => {
    const rendered = renderProblem(new TypeError('secret internals at line 42'), context);
    expect(rendered.status).toBe(500);
    expect(rendered.severity).toBe('error');
    expect(rendered.body.code).toBe('INTERNAL.UNEXPECTED');
    expect(JSON.stringify(rendered.body)).not.toContain('secret internals');
    expect(rendered.body.detail).toContain('corr-1');
  });
});

describe('renderProblem for an unreachable or full database', () => {
  it.each([
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
  ])('answers 503 with Retry-After, never 500: %s', (error) => {
    const rendered = renderProblem(error, { correlationId: 'c-1' });
    expect(rendered.status).toBe(503);
    expect(rendered.body).toMatchObject({ code: 'DATABASE.UNAVAILABLE', status: 503 });
    expect(rendered.headers['retry-after']).toBe('5');
  });
});

describe('renderProblem for a statement past its time limit', () => {
  it.each([
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    // TypeORM's QueryFailedError keeps the driver's error.
    Object.assign(new Error('canceling statement due to statement timeout'), {
      driverError: { code: '57014' },
    }),
  ])('answers 503 DATABASE.TIMEOUT with Retry-After: %s', (error) => {
    const rendered = renderProblem(error, { correlationId: 'c-1' });
    expect(rendered.status).toBe(503);
    expect(rendered.body).toMatchObject({ code: 'DATABASE.TIMEOUT', status: 503 });
    expect(rendered.headers['retry-after']).toBe('5');
  });
});
