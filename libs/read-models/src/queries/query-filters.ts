import type { CursorKey } from './cursor.js';
import { InvalidQueryParameterError } from './query-parameter.error.js';

/** The filters every read query shares; each absent one means "any". */
export interface ReadFilters {
  readonly institution?: string;
  readonly agency?: string;
  readonly role?: string;
  readonly competency?: string;
}

const TOKEN = /^[^\p{Cc}]{1,200}$/u;

/** An optional free-text filter value (≤ 200 characters, no control characters). */
export function optionalText(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new InvalidQueryParameterError(parameter, 'a single value of at most 200 characters');
  }
  return value;
}

export function readFilters(query: Record<string, unknown>): ReadFilters {
  return {
    institution: optionalText(query.institution, 'institution'),
    agency: optionalText(query.agency, 'agency'),
    role: optionalText(query.role, 'role'),
    competency: optionalText(query.competency, 'competency'),
  };
}

/** Accumulates SQL conditions and their parameters (`$n` numbered in order). */
export class SqlConditions {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds `column = $n` when the value is set. */
  equals(column: string, value: string | undefined): this {
    if (value !== undefined) this.conditions.push(`${column} = ${this.param(value)}`);
    return this;
  }

  /** Restricts `column` to the jurisdiction scope (null = all). */
  inScope(column: string, scope: readonly string[] | null): this {
    if (scope !== null) this.conditions.push(`${column} = ANY(${this.param(scope)}::text[])`);
    return this;
  }

  /**
   * Keyset pagination: rows strictly after `key` in the order of `columns` (all ascending, none
   * null: coalesce nullable sort columns in both the key and the ORDER BY).
   */
  after(columns: readonly string[], key: CursorKey | undefined): this {
    if (key !== undefined) {
      const placeholders = key.map((part) => this.param(part));
      this.conditions.push(`(${columns.join(', ')}) > (${placeholders.join(', ')})`);
    }
    return this;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
