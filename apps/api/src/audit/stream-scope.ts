import { actsIn } from '@cadre/domain';
import type { Actor } from '@cadre/kernel';

/** The jurisdictions a stream's events name (`jurisdiction`, `jurisdictions`): who may read it. */
export function streamJurisdictions(events: readonly { readonly data: unknown }[]): string[] {
  const codes = new Set<string>();
  for (const event of events) {
    const data = event.data as { jurisdiction?: unknown; jurisdictions?: unknown };
    if (typeof data?.jurisdiction === 'string') codes.add(data.jurisdiction);
    if (Array.isArray(data?.jurisdictions))
      for (const code of data.jurisdictions) if (typeof code === 'string') codes.add(code);
  }
  return [...codes];
}

/** The jurisdictions a stream names that the actor does not act in; none for regional records. */
export const outsideJurisdictions = (actor: Actor, events: readonly { readonly data: unknown }[]): string[] =>
  streamJurisdictions(events).filter((code) => !actsIn(actor, code));
