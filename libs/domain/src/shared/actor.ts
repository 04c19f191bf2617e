import { REGIONAL, type Actor } from '@cadre/kernel';
import { DomainForbiddenError } from './domain-errors.js';

/** A regional actor (`*`) acts in every jurisdiction. */
export function actsIn(actor: Actor, jurisdiction: string): boolean {
  return actor.jurisdictions.includes(REGIONAL) || actor.jurisdictions.includes(jurisdiction);
}

export function isManagerOf(actor: Actor, jurisdiction: string): boolean {
  return actor.roles.includes('manager') && actsIn(actor, jurisdiction);
}

export function assertActsIn(actor: Actor, jurisdictions: readonly string[]): void {
  const outside = jurisdictions.filter((code) => !actsIn(actor, code));
  if (outside.length > 0) {
    throw new DomainForbiddenError(
      'ACTOR.OUTSIDE_JURISDICTION',
      `You may only act within your own jurisdictions; this concerns ${outside.join(', ')}.`,
      { jurisdictions: outside },
    );
  }
}

export function assertRegional(actor: Actor): void {
  if (!actor.jurisdictions.includes(REGIONAL)) {
    throw new DomainForbiddenError(
      'ACTOR.REGIONAL_ONLY',
      'Only a regional actor (jurisdiction "*") may change the regional training framework.',
    );
  }
}
