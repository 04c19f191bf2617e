import { plainTextProblem, TEXT_NOT_PLAIN } from '@cadre/kernel';
import { DomainValidationError } from './domain-errors.js';

/**
 * Text in commands is plain text (DOMAIN.md; docs/decisions/0017-plain-text.md): refuses the first
 * text of `data` (or of the command's `reason`) that is not, naming it (`override.justification`,
 * `institutions[1]`). The HTTP edge refuses it before (`@PlainText()`); this holds for every
 * other sender of a command.
 */
export function assertPlainText(data: unknown, metadata?: { readonly reason?: string }): void {
  const found = firstNotPlain(data, '') ?? firstNotPlain(metadata?.reason, 'reason');
  if (!found) return;
  throw new DomainValidationError(TEXT_NOT_PLAIN, `"${found.field}" must be plain text: ${found.message}.`, {
    field: found.field,
  });
}

function firstNotPlain(value: unknown, field: string): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    const problem = plainTextProblem(value);
    return problem ? { field: field || 'value', message: problem.message } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Array.isArray(value)
    ? value.map((item, i): [string, unknown] => [`${field}[${i}]`, item])
    : Object.entries(value).map(([key, item]): [string, unknown] => [field ? `${field}.${key}` : key, item]);
  for (const [path, item] of entries) {
    const found = firstNotPlain(item, path);
    if (found) return found;
  }
  return undefined;
}

/** Refuses a missing or blank text field, naming it. */
export function requireText(value: string | undefined | null, field: string): string {
  const text = value?.trim();
  if (!text) {
    throw new DomainValidationError('COMMAND.FIELD_REQUIRED', `"${field}" is required.`, { field });
  }
  return text;
}

export function requireNonEmpty<T>(values: readonly T[] | undefined, field: string): readonly T[] {
  if (!values || values.length === 0) {
    throw new DomainValidationError('COMMAND.FIELD_REQUIRED', `"${field}" needs at least one entry.`, {
      field,
    });
  }
  return values;
}

export function requireInteger(
  value: number,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DomainValidationError(
      'COMMAND.FIELD_OUT_OF_RANGE',
      `"${field}" must be a whole number between ${min} and ${max}.`,
      { field, value, min, max },
    );
  }
  return value;
}

export function requireNumber(value: number, field: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new DomainValidationError(
      'COMMAND.FIELD_OUT_OF_RANGE',
      `"${field}" must be between ${min} and ${max}.`,
      {
        field,
        value,
        min,
        max,
      },
    );
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new DomainValidationError(
      'COMMAND.FIELD_NOT_ALLOWED',
      `"${field}" must be one of: ${allowed.join(', ')}.`,
      {
        field,
        value,
        allowed,
      },
    );
  }
  return value as T;
}

/** A programming fault of the caller, not a refusal: the handler forgot to load something. */
export function requireContext<T>(value: T | undefined, name: string): T {
  if (value === undefined) {
    throw new Error(`The command handler must supply context.${name} for this command.`);
  }
  return value;
}
