import { InvalidQueryParameterError } from './query-parameter.error.js';

/** The sort key of the last row of a page: what the next page starts after. */
export type CursorKey = readonly (string | number | null)[];

/** An opaque cursor: base64url of the last row's sort key. Clients must not build one. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key a cursor names, or undefined when absent. A cursor that was not made by
 * {@link encodeCursor} with `length` parts is a 400 naming the parameter.
 */
export function decodeCursor(value: unknown, length: number, parameter = 'cursor'): CursorKey | undefined {
  if (value === undefined || value === '') return undefined;
  const invalid = () =>
    new InvalidQueryParameterError(parameter, 'a cursor returned as nextCursor by this query');
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const valid =
    Array.isArray(key) &&
    key.length === length &&
    key.every((part) => part === null || typeof part === 'string' || typeof part === 'number');
  if (!valid) throw invalid();
  return key as CursorKey;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `limit`: 1…500, default 50; anything else is a 400 naming the parameter. */
export function parseLimit(value: unknown, parameter = 'limit'): number {
  if (value === undefined || value === '') return DEFAULT_PAGE_SIZE;
  const text = typeof value === 'string' ? value : '';
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
    throw new InvalidQueryParameterError(parameter, `an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

/** One page of a query: `nextCursor` is null on the last page. */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only says whether there is a next
 * page, whose cursor is the sort key of the last row kept.
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  sortKey: (row: Row) => CursorKey,
  toItem: (row: Row) => Item,
): Page<Item> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}
