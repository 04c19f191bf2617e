/**
 * Extra details for `/health/ready` that never make the process unready (projection lag: a long
 * catch-up must not take the api offline). Provide an object under this token to add them.
 */
export const READINESS_DETAILS = Symbol.for('cadre.ReadinessDetails');

export interface ReadinessDetails {
  /** A name and a JSON-serialisable value, reported with status "up". */
  details(): Promise<Record<string, unknown>> | Record<string, unknown>;
}
