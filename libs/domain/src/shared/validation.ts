import { DomainValidationError } from './domain-errors.js';

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
