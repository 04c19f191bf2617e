import type { ValidationError } from '@nestjs/common';
import { CadreError } from '@cadre/kernel';

export interface FieldViolation {
  /** Dotted path of the field in the body (`members.0.role`). */
  readonly field: string;
  readonly messages: readonly string[];
}

/** A request body or parameter that fails its DTO's validation: each field is named. */
export class RequestValidationError extends CadreError {
  readonly category = 'validation' as const;
  constructor(readonly violations: readonly FieldViolation[]) {
    super(
      'REQUEST.VALIDATION_FAILED',
      `The request is invalid: ${violations.map((v) => v.messages.join(', ')).join('; ')}.`,
      { violations },
    );
  }

  /** The `exceptionFactory` of the global ValidationPipe. */
  static fromValidationErrors(errors: readonly ValidationError[]): RequestValidationError {
    return new RequestValidationError(flatten(errors, ''));
  }
}

function flatten(errors: readonly ValidationError[], prefix: string): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints
      ? [{ field, messages: Object.values(error.constraints).map((m) => m.replace(error.property, field)) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
