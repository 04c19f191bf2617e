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

/** The commands of the jurisdiction's coordinators (over HTTP). */
export type CoordinatorJurisdictionCommand = AdoptFramework | AddJurisdictionRequirement;

/**
 * Sent by the certification schedule (a system actor only) once the clock reaches the
 * `effectiveFrom` of a rule recorded before it: records `JurisdictionRuleTookEffect`, once.
 */
export type RecordRuleTakingEffect = DomainCommand<
  'RecordRuleTakingEffect',
  { readonly jurisdiction: string; readonly ruleEventId: string }
>;

export type JurisdictionCommand = CoordinatorJurisdictionCommand | RecordRuleTakingEffect;
