import type { Actor } from '@cadre/kernel';

/**
 * How the domain's events evolve (decision 0014): each type's current schema version and the
 * upcasters from each older one. Pure data and functions; the event store's upcaster chain takes
 * them as they are (the shapes match its `Upcaster` and `EventEvolution`).
 */

/** What a step sees of the stored envelope: the business time and who acted (null for none recorded). */
export interface UpcastMetadata {
  readonly occurredAt: string;
  readonly actor?: Pick<Actor, 'jurisdictions'> | null;
}

/** One step: an event of `type` stored at `fromVersion`, in the form of `fromVersion + 1`. */
export interface EventUpcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** Sees the stored event alone (no state, no other event): any reader upcasts it the same way. */
  upcast(event: { readonly data: unknown; readonly metadata: UpcastMetadata }): {
    readonly data: unknown;
  };
}

export interface EventEvolution {
  /** Types absent here are at version 1. */
  readonly currentVersions: Readonly<Record<string, number>>;
  readonly upcasters: readonly EventUpcaster[];
}
