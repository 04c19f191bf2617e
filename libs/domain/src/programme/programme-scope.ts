import { REGIONAL, type Actor } from '@cadre/kernel';
import { actsIn } from '../shared/actor.js';
import { programmeErrors } from './programme.errors.js';

/**
 * The scope of a programme its definer asks for (`requested`), or by default: regional (`*`) for
 * a regional definer, else the definer's one jurisdiction. A definer of several jurisdictions
 * names one. A definer may only name a scope they coordinate.
 */
export function definerScope(actor: Actor, requested: string | undefined): string {
  if (requested !== undefined) {
    if (!mayChangeIn(actor, requested)) throw programmeErrors.scopeNotYours(requested);
    return requested;
  }
  if (actor.jurisdictions.includes(REGIONAL)) return REGIONAL;
  const [only, ...others] = actor.jurisdictions;
  if (only === undefined || others.length > 0) throw programmeErrors.scopeRequired(actor.jurisdictions);
  return only;
}

/**
 * Only a coordinator of a programme's scope revises or retires it: a regional programme, a
 * regional actor; a jurisdiction's programme, an actor of that jurisdiction (or a regional one,
 * who acts in every jurisdiction).
 */
export function assertMayChangeProgramme(actor: Actor, scope: string, programmeId: string): void {
  if (!mayChangeIn(actor, scope)) throw programmeErrors.outsideScope(programmeId, scope);
}

const mayChangeIn = (actor: Actor, scope: string): boolean =>
  scope === REGIONAL ? actor.jurisdictions.includes(REGIONAL) : actsIn(actor, scope);

/**
 * The scope of a programme defined before scopes were recorded (a v1 ProgrammeDefined), from the
 * definer's jurisdictions in its envelope: regional if they held `*`, their jurisdiction if they
 * held exactly one. Otherwise (no actor recorded, or several jurisdictions) regional: the safe
 * side, since only regional coordinators may then change it (decision 0022).
 */
export function recordedDefinerScope(actor: Pick<Actor, 'jurisdictions'> | null | undefined): string {
  const held = actor?.jurisdictions ?? [];
  if (held.includes(REGIONAL)) return REGIONAL;
  return held.length === 1 ? held[0]! : REGIONAL;
}
