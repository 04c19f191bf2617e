import { describe, expect, it } from '@jest/globals';
import { csvCell, csvLine } from './csv.js';
import {
  decodeCursor,
  encodeCursor,
  pageOf,
  parseLimit,
  parseInstant,
  parsePointInTime,
  SqlConditions,
} from '@cadre/read-models';
import { jurisdictionScope } from './jurisdiction-scope.js';

describe('read-side query helpers', () => {
  const now = new Date('2026-01-15T10:00:00.000Z');

  it('reads a date as the end of that day UTC and an instant as itself; both default to now', () => {
    expect(parseInstant('2024-03-01', 'asOf', now).toISOString()).toBe('2024-03-01T23:59:59.999Z');
    expect(parseInstant('2024-03-01T12:00:00+02:00', 'asOf', now).toISOString()).toBe(
      '2024-03-01T10:00:00.000Z',
    );
    expect(parsePointInTime({}, now)).toEqual({ asOf: now, knownAt: now });
  });

  it('refuses a malformed instant, naming the parameter', () => {
    for (const bad of ['yesterday', '2024-02-30', '2024-03-01T12:00:00', ['2024-01-01']]) {
      expect(() => parseInstant(bad, 'knownAt', now)).toThrow(
        expect.objectContaining({ code: 'QUERY.INVALID_PARAMETER', details: { parameter: 'knownAt' } }),
      );
    }
  });

  it('round-trips an opaque cursor and refuses a forged one', () => {
    const cursor = encodeCursor(['Hoxha', 'id-1', 3]);
    expect(decodeCursor(cursor, 3)).toEqual(['Hoxha', 'id-1', 3]);
    expect(decodeCursor(undefined, 3)).toBeUndefined();
    for (const bad of ['%%%', 'bm90IGpzb24', encodeCursor(['a'])]) {
      expect(() => decodeCursor(bad, 3)).toThrow(
        expect.objectContaining({ details: { parameter: 'cursor' } }),
      );
    }
    expect(() => parseLimit('0')).toThrow(expect.objectContaining({ details: { parameter: 'limit' } }));
    expect(parseLimit(undefined)).toBe(50);
  });

  it('pages with limit + 1 rows: a next cursor only when there is more', () => {
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const page = pageOf(
      rows,
      2,
      (r) => [r.k],
      (r) => r.k,
    );
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor, 1)).toEqual(['b']);
    expect(
      pageOf(
        rows,
        3,
        (r) => [r.k],
        (r) => r.k,
      ).nextCursor,
    ).toBeNull();
  });

  it('scopes reads to the caller jurisdictions: * sees all, another one is forbidden', () => {
    expect(jurisdictionScope({ sub: 'a', roles: [], jurisdictions: ['*'] }, undefined)).toBeNull();
    expect(jurisdictionScope({ sub: 'a', roles: [], jurisdictions: ['AL', 'ME'] }, undefined)).toEqual([
      'AL',
      'ME',
    ]);
    expect(jurisdictionScope({ sub: 'a', roles: [], jurisdictions: ['AL'] }, 'AL')).toEqual(['AL']);
    expect(() => jurisdictionScope({ sub: 'a', roles: [], jurisdictions: ['AL'] }, 'RS')).toThrow(
      expect.objectContaining({ code: 'ACTOR.OUTSIDE_JURISDICTION' }),
    );
  });

  it('quotes CSV cells and defuses formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', null, new Date('2024-01-01T00:00:00Z'), -3])).toBe(
      'a,b'.replace(/.*/, '"a,b"') + ',"say ""hi""",,2024-01-01T00:00:00.000Z,-3\r\n',
    );
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
  });

  it('builds numbered SQL conditions with keyset pagination', () => {
    const sql = new SqlConditions()
      .equals('agency', 'prison')
      .inScope('jurisdiction', ['AL'])
      .after(['name', 'id'], ['x', 'y']);
    expect(sql.where()).toBe(
      'WHERE agency = $1 AND jurisdiction = ANY($2::text[]) AND (name, id) > ($3, $4)',
    );
    expect(sql.params).toEqual(['prison', ['AL'], 'x', 'y']);
  });
});
