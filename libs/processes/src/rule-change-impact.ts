import {
  frameworkDecider,
  lapseByRuleChange,
  teamDecider,
  teamStream,
  type FrameworkDefinition,
  type Instant,
  type JurisdictionState,
  type TeamRules,
  type WouldLapse,
} from '@cadre/domain';
import { loadAggregate, loadJurisdictionRules, loadStaffSnapshots } from '@cadre/command-handling';
import type { EventStore } from '@cadre/event-store';
import { formedTeams } from './standing-reconciliation.js';

/** What a dry run of an adoption or a requirement answers: who would lapse at `effectiveFrom`. */
export interface RuleChangePreview {
  readonly dryRun: true;
  readonly jurisdiction: string;
  readonly effectiveFrom: Instant;
  readonly wouldLapse: readonly (WouldLapse & { readonly teamName: string })[];
}

/**
 * Who a change of a jurisdiction's rules would lapse: every current member of the jurisdiction's
 * teams judged by the one rule at `effectiveFrom` under the rules as they are and as they would be
 * (`lapseByRuleChange`), what the standing process would record once the change takes effect.
 * Reads only; the change itself is decided with `dryRun` and not written (`after` is the state
 * that dry run answered, `adoptedVersion` the version an adoption names).
 */
export async function previewRuleChange(
  store: EventStore,
  code: string,
  after: JurisdictionState,
  adoptedVersion: string | undefined,
  effectiveFrom: Instant,
): Promise<RuleChangePreview> {
  const before = await loadJurisdictionRules(store, code);
  const frameworks: Record<string, FrameworkDefinition> = { ...before.frameworks };
  if (adoptedVersion && !frameworks[adoptedVersion]) {
    const framework = (await loadAggregate(store, `framework-${adoptedVersion}`, frameworkDecider)).state;
    if (framework.status !== 'none') frameworks[adoptedVersion] = framework;
  }
  const rules: TeamRules = {
    jurisdiction: after.status === 'active' ? after : before.jurisdiction,
    frameworks,
  };
  const wouldLapse: (WouldLapse & { teamName: string })[] = [];
  for (const teamId of await formedTeams(store)) {
    const { state } = await loadAggregate(store, teamStream(teamId), teamDecider);
    if (state.status === 'none' || state.status === 'dissolved' || state.jurisdiction !== code) continue;
    const persons = await loadStaffSnapshots(store, Object.keys(state.members));
    for (const member of Object.values(state.members)) {
      const lapse = lapseByRuleChange(state, member, persons[member.staffId], before, rules, effectiveFrom);
      if (lapse) wouldLapse.push({ ...lapse, teamName: state.name });
    }
  }
  return { dryRun: true, jurisdiction: code, effectiveFrom, wouldLapse };
}
