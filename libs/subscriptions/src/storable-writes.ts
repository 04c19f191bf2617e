import { storableJson, storableText } from '@cadre/kernel';
import type pg from 'pg';
import type { ProjectionTransaction } from './projection.js';

/**
 * What a projection writes, made storable whatever the events carry (docs/decisions/
 * 0017-plain-text.md): events recorded before text in commands had to be plain text may hold a NUL
 * or a lone surrogate, which PostgreSQL refuses; such a batch would fail again at every retry and
 * the read model would never move past it. Every text parameter, and every line of a COPY, goes
 * through `storableText` (each NUL and lone surrogate becomes U+FFFD); JSON that a projection
 * builds itself goes through `storableJson` where it is built (`insertRows`, `copyRows`).
 */

/** `query` of a {@link ProjectionTransaction} on `client`, its parameters made storable. */
export const storableQuery =
  (client: pg.PoolClient): ProjectionTransaction['query'] =>
  async <Row extends object>(sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params && storableParams(params))).rows as Row[];

/**
 * The parameters with each string (in arrays too) made storable, and each plain object as the
 * JSON the driver would send for it, made storable. The same array when there is nothing to change.
 */
export function storableParams(params: readonly unknown[]): unknown[] {
  let changed: unknown[] | undefined;
  for (let i = 0; i < params.length; i += 1) {
    const value = params[i];
    const safe = storableValue(value);
    if (safe !== value) {
      changed ??= [...params];
      changed[i] = safe;
    }
  }
  return changed ?? (params as unknown[]);
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return storableParams(value);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return storableJson(JSON.stringify(value));
  }
  return value;
}

/** COPY text-format lines made storable (JSON values in them are already: see `copyRows`). */
export function* storableLines(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield storableText(line);
}
