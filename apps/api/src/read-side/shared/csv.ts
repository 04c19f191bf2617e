import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CursorKey } from '@cadre/read-models';
import { ReturnedRecords } from '../../audit/returned-records.js';

/** True when the client asked for a CSV export (`Accept: text/csv`). */
export function wantsCsv(request: Pick<FastifyRequest, 'headers'>): boolean {
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((part) => part.trim().toLowerCase().startsWith('text/csv'));
}

/** A CSV column: its header and how a row gives its value. Times are written in ISO 8601 UTC. */
export interface CsvColumn<Row> {
  readonly header: string;
  /** A time column: its header says "(UTC)". */
  readonly time?: boolean;
  readonly value: (row: Row) => unknown;
}

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * All the rows of a paginated query, page after page: the export holds one page in memory at a
 * time, never the whole result.
 */
export async function* allPages<Row>(
  fetchPage: (after: CursorKey | undefined) => Promise<readonly Row[]>,
  sortKey: (row: Row) => CursorKey,
): AsyncGenerator<Row> {
  let after: CursorKey | undefined;
  for (;;) {
    const rows = await fetchPage(after);
    for (const row of rows) yield row;
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    after = sortKey(last);
  }
}

/**
 * A CSV export as the route returns it: what Nest streams, and the records it gave once it is
 * done (the access log completes its entry with them: they are known only as rows stream).
 */
export class CsvExport extends StreamableFile {
  constructor(
    stream: Readable,
    readonly returned: ReturnedRecords,
    /** Settles when the last row was written, or the export stopped (the client went away). */
    readonly finished: Promise<void>,
  ) {
    super(stream);
  }
}

/**
 * Streams a CSV export to the client row by row (backpressure included), from pages read one
 * after another or from rows already in hand. The header row states that times are UTC: each time
 * column's header ends with "(UTC)". The handler returns what this gives, and Nest sends it once
 * (sending it here and returning the reply made Nest send a second time: Fastify then logged
 * `FST_ERR_REP_ALREADY_SENT` with the request's URL, search terms included).
 */
export function sendCsv<Row>(
  reply: FastifyReply,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  rows: AsyncIterable<Row> | Iterable<Row>,
): CsvExport {
  const returned = new ReturnedRecords();
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(columns.map((column) => (column.time ? `${column.header} (UTC)` : column.header)));
    for await (const row of rows) {
      returned.note(row);
      yield csvLine(columns.map((column) => column.value(row)));
    }
  }
  reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${filename}.csv"`);
  const stream = Readable.from(lines());
  const finished = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return new CsvExport(stream, returned, finished);
}
