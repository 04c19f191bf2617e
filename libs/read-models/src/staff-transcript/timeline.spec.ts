import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mergeSegments, sameJson } from './timeline-segments.js';

// JSON values and what a timeline's states hold besides: undefined, Dates, keys in any order.
const stateValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
  ),
}));

describe('sameJson', () => {
  it('answers as comparing JSON.stringify does, for any pair and for a value and its copy', () => {
    fc.assert(
      fc.property(stateValue.value, stateValue.value, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        const copy: unknown = a === undefined ? undefined : JSON.parse(JSON.stringify(a));
        expect(sameJson(a, copy)).toBe(JSON.stringify(a) === JSON.stringify(copy));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells key order, undefined properties and array holes as JSON does', () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
  });
});

describe('mergeSegments', () => {
  it('joins adjacent segments of equal state, and only those', () => {
    const A = '2025-01-01T00:00:00.000Z';
    const B = '2025-02-01T00:00:00.000Z';
    const C = '2025-03-01T00:00:00.000Z';
    const D = '2025-04-01T00:00:00.000Z';
    expect(
      mergeSegments([
        { validFrom: A, validTo: B, state: { role: 'officer', teams: ['t1'] } },
        { validFrom: B, validTo: C, state: { role: 'officer', teams: ['t1'] } },
        { validFrom: C, validTo: D, state: { role: 'officer', teams: ['t2'] } },
        // Not adjacent (a gap after D): kept apart even with the same state.
        { validFrom: '2025-05-01T00:00:00.000Z', validTo: null, state: { role: 'officer', teams: ['t2'] } },
      ]),
    ).toEqual([
      { validFrom: A, validTo: C, state: { role: 'officer', teams: ['t1'] } },
      { validFrom: C, validTo: D, state: { role: 'officer', teams: ['t2'] } },
      { validFrom: '2025-05-01T00:00:00.000Z', validTo: null, state: { role: 'officer', teams: ['t2'] } },
    ]);
  });
});
