import type { DomainCommand } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { Instant } from '../shared/time.js';

export type AdoptFramework = DomainCommand<
  'AdoptFramework',
  { readonly jurisdiction: string; readonly version: string; readonly effectiveFrom: Instant }
>;

/** `effectiveFrom` defaults to the command's business time. */
export type AddJurisdictionRequirement = DomainCommand<
  'AddJurisdictionRequirement',
  {
    readonly jurisdiction: string;
    readonly role: string;
    readonly competency: string;
    readonly minLevel: Level;
    readonly effectiveFrom?: Instant;
  }
>;

export type JurisdictionCommand = AdoptFramework | AddJurisdictionRequirement;
