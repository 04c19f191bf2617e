import { CadreError } from '@cadre/kernel';

/** No bearer token, or one that is forged, expired or malformed (401). */
export class UnauthenticatedError extends CadreError {
  readonly category = 'unauthenticated' as const;
}

/** A valid token whose roles this route does not admit (403). */
export class AccessDeniedError extends CadreError {
  readonly category = 'forbidden' as const;
}
