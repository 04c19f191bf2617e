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

/** The two kinds of rule a jurisdiction records: an adoption, an addition of its own. */
export type JurisdictionRuleKind = 'adoption' | 'requirement';

/**
 * A rule recorded before its `effectiveFrom` is now in force: the notice the certification
 * schedule sends when the clock reaches it (business time: `effectiveFrom`), once per rule. Like
 * `CertificationExpired`, it is the notification, not the cause: the rule counts from
 * `effectiveFrom` by the clock whether or not this is recorded yet.
 */
export type JurisdictionRuleTookEffect = DomainEvent<
  'JurisdictionRuleTookEffect',
  {
    readonly jurisdiction: string;
    /** The `FrameworkAdopted` or `JurisdictionRequirementAdded` event now in force. */
    readonly ruleEventId: string;
    readonly kind: JurisdictionRuleKind;
    readonly effectiveFrom: Instant;
  }
>;

export type JurisdictionEvent = FrameworkAdopted | JurisdictionRequirementAdded | JurisdictionRuleTookEffect;

export const jurisdictionStream = (code: string): string => `jurisdiction-${code}`;
