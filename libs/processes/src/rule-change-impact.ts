import { Injectable } from '@nestjs/common';
import {
  lapseByRuleChange,
  teamDecider,
  teamStream,
  type FrameworkDefinition,
  type Instant,
  type JurisdictionState,
  type TeamRules,
  type WouldLapse,
} from '@cadre/domain';
import { loadAggregate } from '@cadre/command-handling';
import { CommandRunner, ReferenceData } from '@cadre/command-handling/nest';
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
 * (`lapseByRuleChange`). Reads only; the change itself is decided with `dryRun` and not written.
 */
@Injectable()
export class RuleChangeImpact {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reference: ReferenceData,
  ) {}

  async preview(
    code: string,
    after: JurisdictionState,
    adoptedVersion: string | undefined,
    effectiveFrom: Instant,
  ): Promise<RuleChangePreview> {
    const before = await this.reference.jurisdictionRules(code);
    const frameworks: Record<string, FrameworkDefinition> = { ...before.frameworks };
    if (adoptedVersion && !frameworks[adoptedVersion]) {
      const framework = await this.reference.framework(adoptedVersion);
      if (framework.status !== 'none') frameworks[adoptedVersion] = framework;
    }
    const rules: TeamRules = {
      jurisdiction: after.status === 'active' ? after : before.jurisdiction,
      frameworks,
    };
    const wouldLapse: (WouldLapse & { teamName: string })[] = [];
    for (const teamId of await formedTeams(this.runner.store)) {
      const { state } = await loadAggregate(this.runner.store, teamStream(teamId), teamDecider);
      if (state.status === 'none' || state.status === 'dissolved' || state.jurisdiction !== code) continue;
      const persons = await this.reference.staffSnapshots(Object.keys(state.members));
      for (const member of Object.values(state.members)) {
        const lapse = lapseByRuleChange(state, member, persons[member.staffId], before, rules, effectiveFrom);
        if (lapse) wouldLapse.push({ ...lapse, teamName: state.name });
      }
    }
    return { dryRun: true, jurisdiction: code, effectiveFrom, wouldLapse };
  }
}
