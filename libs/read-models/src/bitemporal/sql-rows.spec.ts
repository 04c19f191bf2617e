import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalize } from 'json-canonicalize';
import { canonicalJson, digest } from './sql-rows.js';

// JSON values, and the JavaScript values a projection builds rows from: undefined properties and
// array elements, Dates, keys out of order and beyond ASCII.
const rowValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('canonicalJson', () => {
  it('writes what json-canonicalize writes, character for character', () => {
    fc.assert(
      fc.property(rowValue.value, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys, drops undefined properties and writes undefined elements as null', () => {
    expect(canonicalJson({ b: 1, a: [undefined, 'x'], c: undefined, é: { z: null, y: 2 } })).toBe(
      '{"a":[null,"x"],"b":1,"é":{"y":2,"z":null}}',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson([1, Number.NaN])).toThrow(/Non-finite/);
  });
});

describe('digest', () => {
  it('is the SHA-1 of the canonical JSON, the same when asked again', () => {
    const value = [1735689600000, null, ['s1', { kind: 'external', issuer: 'Academy' }]];
    const expected = createHash('sha1').update(canonicalize(value)).digest('base64url');
    expect(digest(value)).toBe(expected);
    expect(digest(JSON.parse(JSON.stringify(value)))).toBe(expected);
  });

  it('is the same for text with a NUL or a lone surrogate as for the text stored (U+FFFD)', () => {
    const recorded = [1735689600000, null, { name: 'MDT\u0000Podgorica', list: ['a\ud800'] }];
    const storedBack = [1735689600000, null, { list: ['a\uFFFD'], name: 'MDT\uFFFDPodgorica' }];
    expect(digest(recorded)).toBe(digest(storedBack));
  });
});
