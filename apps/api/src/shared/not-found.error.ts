import { CadreError } from '@cadre/kernel';

/** A GET of something that was never recorded (HTTP 404). */
export class ResourceNotFoundError extends CadreError {
  readonly category = 'not_found' as const;
  constructor(code: string, what: string) {
    super(code, `${what} does not exist.`);
  }
}
