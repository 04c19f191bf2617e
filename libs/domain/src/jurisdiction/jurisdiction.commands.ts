import type { DomainCommand } from '../shared/decider.js';
import type { Instant } from '../shared/time.js';
import type { FrameworkAdoption, RoleRequirement } from '../shared/requirements.js';
import type { JurisdictionRef } from './jurisdiction.events.js';

export type AdoptFramework = DomainCommand<'AdoptFramework', JurisdictionRef & FrameworkAdoption>;

/** `effectiveFrom` defaults to the command's business time. */
export type AddJurisdictionRequirement = DomainCommand<
  'AddJurisdictionRequirement',
  JurisdictionRef & RoleRequirement & { readonly effectiveFrom?: Instant }
>;

/** The commands of the jurisdiction's coordinators (over HTTP). */
export type CoordinatorJurisdictionCommand = AdoptFramework | AddJurisdictionRequirement;

/**
 * Sent by the certification schedule (a system actor only) once the clock reaches the
 * `effectiveFrom` of a rule recorded before it: records `JurisdictionRuleTookEffect`, once.
 */
export type RecordRuleTakingEffect = DomainCommand<
  'RecordRuleTakingEffect',
  JurisdictionRef & { readonly ruleEventId: string }
>;

export type JurisdictionCommand = CoordinatorJurisdictionCommand | RecordRuleTakingEffect;
