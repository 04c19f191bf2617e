import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import {
  BodyNotObjectError,
  BodyTooDeepError,
  checkParameters,
  checkParsedBody,
  clientRefusal,
  jsonDepthExceeds,
  MAX_BODY_DEPTH,
  ParameterNotPlainError,
} from './request-edge.js';
import { TextNotPlainError } from '../errors/request-errors.js';

const requestWith = (parts: Partial<Pick<FastifyRequest, 'body' | 'params' | 'query'>>) =>
  parts as FastifyRequest;

describe('the depth of a JSON body', () => {
  it('counts nested objects and arrays, up to the limit and no further', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '[]' + '}'.repeat(depth - 1);
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(100_000)))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '['.repeat(100), quoted: '"{{{{"', slash: '\\', more: '\\"[[[' });
    expect(jsonDepthExceeds(text, 1)).toBe(false);
    expect(jsonDepthExceeds(`[${text}]`, 1)).toBe(true);
  });
});

describe('a parsed body', () => {
  it('is a JSON object, or absent', () => {
    expect(() => checkParsedBody(requestWith({ body: undefined }))).not.toThrow();
    expect(() => checkParsedBody(requestWith({ body: { name: 'Ana' } }))).not.toThrow();
    for (const body of [null, [], 'text', 42, true]) {
      expect(() => checkParsedBody(requestWith({ body }))).toThrow(BodyNotObjectError);
    }
  });

  it('holds no lone surrogate, in a value or a member name, and the refusal names the field', () => {
    const refusal = (body: object) => {
      try {
        checkParsedBody(requestWith({ body }));
        return null;
      } catch (error) {
        return error as TextNotPlainError;
      }
    };
    expect(refusal({ name: 'Јелена 😀' })).toBeNull();
    const inValue = refusal({ evidence: { issuer: 'ok', reference: ['fine', 'x\ud800'] } });
    expect(inValue).toBeInstanceOf(TextNotPlainError);
    expect(inValue?.details.field).toBe('evidence.reference.1');
    expect(refusal({ levels: { '\udc00': {} } })?.details.field).toBe('levels');
  });
});

describe('path and query parameters', () => {
  it('are plain text: the refusal names the parameter and where it is', () => {
    const refusal = (parts: { params?: object; query?: object }) => {
      try {
        checkParameters(requestWith(parts));
        return null;
      } catch (error) {
        return error as ParameterNotPlainError;
      }
    };
    expect(refusal({ params: { id: 'Durrës' }, query: { q: ['Ana', 'Hoxha\tx'] } })).toBeNull();
    expect(refusal({ params: { id: 'a\u0000b' } })?.details).toEqual({ parameter: 'id', in: 'path' });
    expect(refusal({ query: { actor: ['ok', '\ud800'] } })?.details).toEqual({
      parameter: 'actor',
      in: 'query',
    });
    expect(refusal({ query: { 'a\u0000b': '' } })?.details).toEqual({ parameter: 'name', in: 'query' });
    expect(refusal({ query: { q: 'x\u001b[31m' } })?.code).toBe('REQUEST.TEXT_NOT_PLAIN');
  });
});

describe("what Node.js's HTTP parser refuses", () => {
  it('is a problem with a status and a stable code', () => {
    expect(clientRefusal({ code: 'HPE_HEADER_OVERFLOW' })).toMatchObject({
      status: 431,
      code: 'REQUEST.HEADERS_TOO_LARGE',
    });
    expect(clientRefusal({ code: 'ERR_HTTP_REQUEST_TIMEOUT' })).toMatchObject({ status: 408 });
    expect(clientRefusal({ code: 'HPE_INVALID_METHOD' })).toMatchObject({ status: 400 });
  });

  it('BodyTooDeepError says the limit', () => {
    expect(new BodyTooDeepError().message).toContain(String(MAX_BODY_DEPTH));
  });
});
