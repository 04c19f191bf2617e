import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { Instant } from '../shared/time.js';

export type FrameworkAdopted = DomainEvent<
  'FrameworkAdopted',
  { readonly jurisdiction: string; readonly version: string; readonly effectiveFrom: Instant }
>;

export type JurisdictionRequirementAdded = DomainEvent<
  'JurisdictionRequirementAdded',
  {
    readonly jurisdiction: string;
    readonly role: string;
    readonly competency: string;
    readonly minLevel: Level;
    readonly effectiveFrom: Instant;
  }
>;

export type JurisdictionEvent = FrameworkAdopted | JurisdictionRequirementAdded;

export const jurisdictionStream = (code: string): string => `jurisdiction-${code}`;
