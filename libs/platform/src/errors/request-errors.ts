import type { ValidationError } from '@nestjs/common';
import { CadreError, TEXT_NOT_PLAIN } from '@cadre/kernel';
import { PLAIN_TEXT_CONSTRAINT } from '../http/plain-text.decorator.js';

export interface FieldViolation {
  /** Dotted path of the field in the body (`members.0.role`). */
  readonly field: string;
  readonly messages: readonly string[];
}

/** A request body or parameter that fails its DTO's validation: each field is named. */
export class RequestValidationError extends CadreError {
  readonly category = 'validation' as const;
  constructor(readonly violations: readonly FieldViolation[]) {
    super('REQUEST.VALIDATION_FAILED', sentence(violations), { violations });
  }

  /**
   * The `exceptionFactory` of the global ValidationPipe. Text that is not plain text
   * (`@PlainText()`) is refused as such, whatever else is wrong with the request.
   */
  static fromValidationErrors(
    errors: readonly ValidationError[],
  ): RequestValidationError | TextNotPlainError {
    const failures = flatten(errors, '');
    const violations = failures.map(({ field, messages }) => ({ field, messages }));
    const notPlain = failures.filter((failure) => failure.notPlain).map((failure) => failure.field);
    return notPlain.length > 0
      ? new TextNotPlainError(notPlain, violations)
      : new RequestValidationError(violations);
  }
}

/**
 * Text fields of a command that are not plain text (DOMAIN.md; docs/decisions/0017-plain-text.md):
 * `field` names the first, `fields` every one, `violations` what is wrong with each field of the
 * request. The code is the domain's own for the rule.
 */
export class TextNotPlainError extends CadreError {
  readonly category = 'validation' as const;
  constructor(fields: readonly string[], violations: readonly FieldViolation[]) {
    super(TEXT_NOT_PLAIN, sentence(violations), { field: fields[0], fields, violations });
  }
}

const sentence = (violations: readonly FieldViolation[]): string =>
  `The request is invalid: ${violations.map((v) => v.messages.join(', ')).join('; ')}.`;

interface FieldFailure extends FieldViolation {
  readonly notPlain: boolean;
}

function flatten(errors: readonly ValidationError[], prefix: string): FieldFailure[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints
      ? [
          {
            field,
            messages: Object.values(error.constraints).map((m) => m.replace(error.property, field)),
            notPlain: PLAIN_TEXT_CONSTRAINT in error.constraints,
          },
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
