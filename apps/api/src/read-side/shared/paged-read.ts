import { decodeCursor, pageOf, parseLimit, type CursorKey, type PointInTime } from '@cadre/read-models';
import { allPages, sendCsv, wantsCsv, type CsvColumn } from './csv.js';
import type { ReadRequest } from './read-request.js';

/** The paging parameters of a read route (`cursor`, `limit`). */
export interface PagingParams {
  readonly cursor?: unknown;
  readonly limit?: unknown;
}

/** A paginated read model query and how its rows are answered, as JSON items or CSV lines. */
export interface PagedRead<Row> {
  /** How many parts its cursor's sort key has. */
  readonly keyParts: number;
  /** Up to `count` rows after `after`, in the order of `sortKey`. */
  readonly fetch: (after: CursorKey | undefined, count: number) => Promise<readonly Row[]>;
  readonly sortKey: (row: Row) => CursorKey;
  readonly item: (row: Row) => object;
  readonly csv: {
    readonly filename: string;
    readonly columns: readonly CsvColumn<Row>[];
    /** Rows fetched at a time for the export (default 1000). */
    readonly batch?: number;
  };
}

/**
 * One page of JSON items after `cursor` (`limit` of them), led by the members of `head`; or, for
 * `Accept: text/csv`, every row after `cursor` streamed as CSV, page after page (`limit` does not
 * apply to an export).
 */
export async function pageOrCsv<Row>(
  { request, reply }: ReadRequest,
  params: PagingParams,
  read: PagedRead<Row>,
  head: object = {},
): Promise<object> {
  const after = decodeCursor(params.cursor, read.keyParts);
  if (wantsCsv(request)) {
    const batch = read.csv.batch ?? 1000;
    const rows = allPages((key) => read.fetch(key ?? after, batch), read.sortKey);
    return sendCsv(reply, read.csv.filename, read.csv.columns, rows);
  }
  const limit = parseLimit(params.limit);
  return { ...head, ...pageOf(await read.fetch(after, limit + 1), limit, read.sortKey, read.item) };
}

/** The point in time an audit answer is for, as its first members. */
export const answeredFor = (point: PointInTime): { asOf: string; knownAt: string } => ({
  asOf: point.asOf.toISOString(),
  knownAt: point.knownAt.toISOString(),
});
