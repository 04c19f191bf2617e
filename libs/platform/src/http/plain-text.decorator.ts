import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { plainTextProblem } from '@cadre/kernel';

/** The name of the constraint `@PlainText()` adds: the ValidationPipe's refusal looks for it. */
export const PLAIN_TEXT_CONSTRAINT = 'isPlainText';

/**
 * The field is plain text (`plainTextProblem` of the kernel: no NUL, lone surrogate or control
 * character but tab and newline; NFC), or the request is refused with 400
 * `COMMAND.TEXT_NOT_PLAIN` naming the field. Other types pass: `@IsString()` refuses those.
 * With `{ each: true }`, every element of an array.
 */
export const PlainText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: PLAIN_TEXT_CONSTRAINT,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || plainTextProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => plainTextMessage(args),
      },
    },
    options,
  );

/** `institutions[1] must be plain text: it contains …` (with `each`, the element is named). */
function plainTextMessage(args?: ValidationArguments): string {
  const property = args?.property ?? 'the field';
  const value: unknown = args?.value;
  const values: readonly unknown[] = Array.isArray(value) ? value : [value];
  for (const [i, element] of values.entries()) {
    const problem = typeof element === 'string' ? plainTextProblem(element) : undefined;
    if (!problem) continue;
    const field = Array.isArray(value) ? `${property}[${i}]` : property;
    return `${field} must be plain text: ${problem.message}`;
  }
  return `${property} must be plain text`;
}
