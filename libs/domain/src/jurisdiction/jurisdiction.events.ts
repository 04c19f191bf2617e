import type { DomainEvent } from '../shared/decider.js';
import type { FrameworkAdoption, JurisdictionAddition } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';

/** The jurisdiction a rule is recorded for. */
export interface JurisdictionRef {
  readonly jurisdiction: string;
}

export type FrameworkAdopted = DomainEvent<'FrameworkAdopted', JurisdictionRef & FrameworkAdoption>;
export type JurisdictionRequirementAdded = DomainEvent<
  'JurisdictionRequirementAdded',
  JurisdictionRef & JurisdictionAddition
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
