import type { DecisionContext } from '../shared/decider.js';
import { isBackdated, isBefore } from '../shared/time.js';
import type { RecordRuleTakingEffect } from './jurisdiction.commands.js';
import type { JurisdictionState } from './jurisdiction.state.js';
import { jurisdictionErrors } from './jurisdiction.errors.js';
import type { JurisdictionEvent } from './jurisdiction.events.js';

/**
 * The notice that a rule recorded ahead of its `effectiveFrom` is in force: recorded once per rule
 * (a repeat returns nothing, so the schedule may send it again after a crash), dated
 * `effectiveFrom` (with a reason when the schedule got to it more than 24 h later). Only the
 * system records it: a coordinator's rule takes effect by the clock, not by a command.
 */
export function decideRuleTakingEffect(
  command: RecordRuleTakingEffect,
  state: JurisdictionState,
  context: DecisionContext,
): JurisdictionEvent[] {
  const { jurisdiction, ruleEventId } = command.data;
  if (!context.actor.roles.includes('system')) throw jurisdictionErrors.systemOnly(jurisdiction);
  const rule = state.status === 'active' ? state.recordedRules[ruleEventId] : undefined;
  if (!rule) throw jurisdictionErrors.ruleNotFound(jurisdiction, ruleEventId);
  if (rule.tookEffect) return [];
  const { kind, effectiveFrom } = rule;
  if (isBefore(context.now, effectiveFrom)) {
    throw jurisdictionErrors.ruleNotInEffect(jurisdiction, ruleEventId, effectiveFrom);
  }
  const metadata = isBackdated(effectiveFrom, context.now)
    ? {
        occurredAt: effectiveFrom,
        reason: 'Recorded by the certification schedule after the rule took effect.',
      }
    : { occurredAt: effectiveFrom };
  return [
    {
      type: 'JurisdictionRuleTookEffect',
      data: { jurisdiction, ruleEventId, kind, effectiveFrom },
      metadata,
    },
  ];
}
