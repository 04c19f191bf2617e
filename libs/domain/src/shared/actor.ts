import { DomainForbiddenError } from './domain-errors.js';

/** The jurisdiction code of regional acts (drafting and publishing the framework). */
export const REGIONAL = '*';

/** Who acts: the token's subject, roles and jurisdictions — never a name. */
export interface Actor {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly jurisdictions: readonly string[];
}

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
