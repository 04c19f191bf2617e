import { InvalidQueryParameterError } from './query-parameter.error.js';

/** The two clocks of an audit query: business time (`asOf`) and record time (`knownAt`). */
export interface PointInTime {
  /** Business time: what was true then (compared with `occurredAt`-based validity). */
  readonly asOf: Date;
  /** Record time: what Cadre had recorded by then (compared with `recordedAt`). */
  readonly knownAt: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// ISO 8601 with a time and an explicit zone: an instant must not depend on the server's time zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads an instant or a bare date; a date means the end of that day, UTC (its last millisecond),
 * so `asOf=2024-03-01` includes everything that happened on 1 March. Absent → `fallback`.
 */
export function parseInstant(value: unknown, parameter: string, fallback: Date): Date {
  if (value === undefined || value === '') return fallback;
  const text = typeof value === 'string' ? value.trim() : '';
  let parsed = Number.NaN;
  if (DATE.test(text)) {
    parsed = Date.parse(`${text}T23:59:59.999Z`);
    if (!Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) !== text) parsed = Number.NaN;
  } else if (INSTANT.test(text)) {
    parsed = Date.parse(text);
  }
  if (Number.isNaN(parsed)) {
    throw new InvalidQueryParameterError(
      parameter,
      'an ISO 8601 instant with a zone (2024-03-01T12:00:00Z) or a date (2024-03-01, the end of that day UTC)',
    );
  }
  return new Date(parsed);
}

/** `asOf` and `knownAt` of a query, both defaulting to `now`. */
export function parsePointInTime(query: { asOf?: unknown; knownAt?: unknown }, now: Date): PointInTime {
  return {
    asOf: parseInstant(query.asOf, 'asOf', now),
    knownAt: parseInstant(query.knownAt, 'knownAt', now),
  };
}

/**
 * The SQL condition under which a bitemporal row is visible at `(asOf, knownAt)` (see
 * docs/read-models.md): `asOfParam`/`knownAtParam` are placeholders such as `$1`.
 */
export function visibleAt(alias: string, asOfParam: string, knownAtParam: string): string {
  const a = alias ? `${alias}.` : '';
  return (
    `${a}valid_from <= ${asOfParam} AND (${a}valid_to IS NULL OR ${a}valid_to > ${asOfParam}) ` +
    `AND ${a}recorded_at <= ${knownAtParam} AND (${a}superseded_at IS NULL OR ${a}superseded_at > ${knownAtParam})`
  );
}

/**
 * {@link visibleAt} with its open ends written as `coalesce(…, infinity)` comparisons (the same
 * condition for finite instants), for tables indexed on `(…, coalesce(valid_to, infinity),
 * coalesce(superseded_at, infinity), valid_from, recorded_at)`: their index scans check the point
 * in time inside the index, skipping the rows of other times and versions without reading them,
 * and estimate it from the index's statistics.
 */
export function visibleAtIndexed(alias: string, asOfParam: string, knownAtParam: string): string {
  return (
    `${alias}.valid_from <= ${asOfParam} AND coalesce(${alias}.valid_to, 'infinity'::timestamptz) > ${asOfParam} ` +
    `AND ${alias}.recorded_at <= ${knownAtParam} AND coalesce(${alias}.superseded_at, 'infinity'::timestamptz) > ${knownAtParam}`
  );
}
