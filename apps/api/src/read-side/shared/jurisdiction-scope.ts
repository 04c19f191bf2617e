import { DomainForbiddenError, actsIn } from '@cadre/domain';
import { REGIONAL, type Actor } from '@cadre/kernel';
import { readFilters, type PointInTime, type ReadFilters } from '@cadre/read-models';

/**
 * The jurisdictions a read may see: the ones asked for (`?jurisdiction=AL,RS`), each of which the
 * caller must act in (else 403 ACTOR.OUTSIDE_JURISDICTION), or all of the caller's own. `null`
 * means every jurisdiction (a regional `*` caller who asked for none).
 */
export function jurisdictionScope(actor: Actor, requested: unknown): readonly string[] | null {
  const asked =
    typeof requested === 'string'
      ? requested
          .split(',')
          .map((code) => code.trim())
          .filter(Boolean)
      : [];
  if (asked.length > 0) {
    const outside = asked.filter((code) => !actsIn(actor, code));
    if (outside.length > 0) {
      throw new DomainForbiddenError(
        'ACTOR.OUTSIDE_JURISDICTION',
        `You may only read within your own jurisdictions; this concerns ${outside.join(', ')}.`,
        { jurisdictions: outside },
      );
    }
    return asked;
  }
  return actor.jurisdictions.includes(REGIONAL) ? null : actor.jurisdictions;
}

/** True when a row of `jurisdiction` is inside the scope. */
export const inScope = (scope: readonly string[] | null, jurisdiction: string): boolean =>
  scope === null || scope.includes(jurisdiction);

/**
 * What an audit list is asked for at `point`: the shared filters, and the jurisdictions the caller
 * may see (see {@link jurisdictionScope}).
 */
export function auditListQuery(
  params: Record<string, unknown>,
  actor: Actor,
  point: PointInTime,
): PointInTime & ReadFilters & { readonly scope: readonly string[] | null } {
  return {
    ...point,
    ...readFilters(params),
    scope: jurisdictionScope(actor, params.jurisdiction),
  };
}
