import { assertNever } from '../shared/decider.js';
import type { JurisdictionRules } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';
import type { JurisdictionEvent, JurisdictionRuleKind } from './jurisdiction.events.js';

/** A rule of the stream: when it takes effect, and whether `JurisdictionRuleTookEffect` was recorded. */
export interface RecordedRule {
  readonly kind: JurisdictionRuleKind;
  readonly effectiveFrom: Instant;
  readonly tookEffect: boolean;
}

/**
 * A jurisdiction's rules: the framework versions it adopted, from when, and its own additions;
 * and each of them by event id (`recordedRules`), so that a rule taking effect is noticed once.
 */
export type JurisdictionState = { readonly status: 'none' } | ActiveJurisdiction;

export type ActiveJurisdiction = { readonly status: 'active' } & JurisdictionRules & {
    readonly recordedRules: Readonly<Record<string, RecordedRule>>;
  };

export const initialJurisdictionState = (): JurisdictionState => ({ status: 'none' });

export function evolveJurisdiction(state: JurisdictionState, event: JurisdictionEvent): JurisdictionState {
  const current: ActiveJurisdiction =
    state.status === 'active'
      ? state
      : { status: 'active', code: event.data.jurisdiction, adoptions: [], additions: [], recordedRules: {} };
  const eventId = event.metadata?.eventId;
  switch (event.type) {
    case 'FrameworkAdopted': {
      const { version, effectiveFrom } = event.data;
      return {
        ...current,
        adoptions: [...current.adoptions, { version, effectiveFrom }],
        recordedRules: withRule(current, eventId, { kind: 'adoption', effectiveFrom, tookEffect: false }),
      };
    }
    case 'JurisdictionRequirementAdded': {
      const { role, competency, minLevel, effectiveFrom } = event.data;
      return {
        ...current,
        additions: [...current.additions, { role, competency, minLevel, effectiveFrom }],
        recordedRules: withRule(current, eventId, { kind: 'requirement', effectiveFrom, tookEffect: false }),
      };
    }
    case 'JurisdictionRuleTookEffect': {
      const { ruleEventId, kind, effectiveFrom } = event.data;
      return {
        ...current,
        recordedRules: withRule(current, ruleEventId, { kind, effectiveFrom, tookEffect: true }),
      };
    }
    default:
      return assertNever(event);
  }
}

/** Rules are known by event id once loaded from the store (a decider test may give events without). */
function withRule(state: ActiveJurisdiction, eventId: string | undefined, rule: RecordedRule) {
  return eventId === undefined ? state.recordedRules : { ...state.recordedRules, [eventId]: rule };
}
