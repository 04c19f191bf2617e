import { assertActsIn } from '../shared/actor.js';
import { assertNever, eventFactory, type Decider, type DecisionContext } from '../shared/decider.js';
import { isLevel, meetsLevel } from '../shared/levels.js';
import { adoptedVersionAt, requirementsInForce, type JurisdictionRules } from '../shared/requirements.js';
import { isBackdated, toInstant, toMillis } from '../shared/time.js';
import { requireContext } from '../shared/validation.js';
import { frameworkErrors } from '../framework/framework.errors.js';
import type { FrameworkState } from '../framework/framework.decider.js';
import type {
  AddJurisdictionRequirement,
  AdoptFramework,
  JurisdictionCommand,
} from './jurisdiction.commands.js';
import { jurisdictionErrors } from './jurisdiction.errors.js';
import type { JurisdictionEvent } from './jurisdiction.events.js';
import {
  evolveJurisdiction,
  initialJurisdictionState,
  type JurisdictionState,
} from './jurisdiction.state.js';
import { decideRuleTakingEffect } from './rule-taking-effect.decide.js';

export interface JurisdictionContext extends DecisionContext {
  /**
   * For `AdoptFramework`: the version to adopt. For `AddJurisdictionRequirement`: the version the
   * jurisdiction had adopted at the addition's `effectiveFrom` (see `adoptedVersionAt`).
   */
  readonly framework?: FrameworkState;
  /**
   * For `AdoptFramework` of another version than the latest adopted: that latest version, in force
   * at the new `effectiveFrom` (adoptions only move forward), to tell whether the new one is older.
   */
  readonly inForce?: FrameworkState;
}

const CODE = /^[A-Z][A-Z0-9-]{1,15}$/;

export function decideJurisdiction(
  command: JurisdictionCommand,
  state: JurisdictionState,
  context: JurisdictionContext,
): JurisdictionEvent[] {
  const { jurisdiction } = command.data;
  if (!CODE.test(jurisdiction ?? '')) throw jurisdictionErrors.invalidCode(jurisdiction);
  assertActsIn(context.actor, [jurisdiction]);
  const emit = eventFactory<JurisdictionEvent>(command, context);
  switch (command.type) {
    case 'AdoptFramework':
      return isNewAdoption(command, state, requireContext(context.framework, 'framework'), context)
        ? [
            emit('FrameworkAdopted', {
              jurisdiction,
              version: command.data.version,
              effectiveFrom: effectiveFrom(command.data.effectiveFrom),
            }),
          ]
        : [];
    case 'AddJurisdictionRequirement': {
      const from = effectiveFrom(command.data.effectiveFrom ?? emit.occurredAt);
      checkAddition(command, state, from, requireContext(context.framework, 'framework'));
      // Like a back-dated command: a requirement in force long before it was known is a correction
      // of the record, and the event keeps why (eventFactory keeps the command's reason).
      if (isBackdated(from, context.now) && !hasReason(command)) {
        throw jurisdictionErrors.backdatedRequirementWithoutReason(jurisdiction, from, context.now);
      }
      const { role, competency, minLevel } = command.data;
      return [
        emit('JurisdictionRequirementAdded', {
          jurisdiction,
          role,
          competency,
          minLevel,
          effectiveFrom: from,
        }),
      ];
    }
    case 'RecordRuleTakingEffect':
      return decideRuleTakingEffect(command, state, context);
    default:
      return assertNever(command);
  }
}

/**
 * A jurisdiction (`jurisdiction-<code>`): adopts a published framework version from a date and may
 * add requirements on top of the regional baseline, never remove one.
 */
export const jurisdictionDecider: Decider<
  JurisdictionCommand,
  JurisdictionEvent,
  JurisdictionState,
  JurisdictionContext
> = {
  decide: decideJurisdiction,
  evolve: evolveJurisdiction,
  initialState: initialJurisdictionState,
};

function effectiveFrom(value: string): string {
  return toInstant(toMillis(value, 'effectiveFrom'));
}

const hasReason = (command: JurisdictionCommand): boolean => Boolean(command.metadata?.reason?.trim());

/**
 * False for a retry of the latest adoption, which changes nothing. A version published before the
 * one in force (the latest adoption: a new one must take effect after it) needs a reason: adopting
 * it may drop requirements that the newer version set.
 */
function isNewAdoption(
  command: AdoptFramework,
  state: JurisdictionState,
  framework: FrameworkState,
  context: JurisdictionContext,
): boolean {
  const { jurisdiction, version } = command.data;
  if (framework.status === 'none') throw frameworkErrors.notFound(version);
  if (framework.status === 'draft') throw frameworkErrors.notPublished(version);
  if (framework.status === 'retired') throw frameworkErrors.alreadyRetired(version);
  if (framework.version !== version)
    throw new Error(`context.framework is ${framework.version}, not ${version}.`);
  if (state.status === 'none') return true;
  const from = effectiveFrom(command.data.effectiveFrom);
  const latest = state.adoptions.at(-1);
  if (!latest) return true;
  if (latest.version === version && toMillis(latest.effectiveFrom) === toMillis(from)) return false;
  if (toMillis(from) <= toMillis(latest.effectiveFrom)) {
    throw jurisdictionErrors.adoptionOutOfOrder(jurisdiction, from, latest.effectiveFrom);
  }
  if (latest.version !== version && !hasReason(command)) {
    const inForce = requireContext(context.inForce, 'inForce');
    if (inForce.status === 'none' || inForce.version !== latest.version) {
      throw new Error(`context.inForce must be ${latest.version}, the version ${jurisdiction} adopted last.`);
    }
    if (publishedBefore(framework, inForce)) {
      throw jurisdictionErrors.olderVersionWithoutReason(jurisdiction, version, latest.version);
    }
  }
  return true;
}

/** Publication order; a version whose publication time is unknown is never judged older. */
function publishedBefore(candidate: FrameworkState, reference: FrameworkState): boolean {
  const at = (state: FrameworkState) =>
    state.status === 'published' || state.status === 'retired' ? state.publishedAt : null;
  const a = at(candidate);
  const b = at(reference);
  return a !== null && b !== null && toMillis(a) < toMillis(b);
}

function checkAddition(
  command: AddJurisdictionRequirement,
  state: JurisdictionState,
  from: string,
  framework: FrameworkState,
): void {
  const { jurisdiction, role, competency, minLevel } = command.data;
  const rules: JurisdictionRules =
    state.status === 'active' ? state : { code: jurisdiction, adoptions: [], additions: [] };
  const adopted = adoptedVersionAt(rules, from);
  if (framework.status === 'none' || (adopted !== undefined && framework.version !== adopted)) {
    throw new Error(`context.framework must be the version ${jurisdiction} adopted at ${from} (${adopted}).`);
  }
  const inForce = requirementsInForce(framework, rules, role, from);
  if (!isLevel(minLevel))
    throw frameworkErrors.levelNotDefined(framework.version, competency, String(minLevel));
  if (!framework.roles[role]) throw frameworkErrors.unknownRole(framework.version, role);
  const defined = framework.competencies[competency];
  if (!defined) throw frameworkErrors.unknownCompetency(framework.version, competency);
  if (!Object.keys(defined.levels).some((level) => isLevel(level) && meetsLevel(level, minLevel))) {
    throw frameworkErrors.levelNotDefined(framework.version, competency, minLevel);
  }
  const existing = inForce.requirements.find((r) => r.competency === competency);
  if (existing && meetsLevel(existing.minLevel, minLevel)) {
    throw jurisdictionErrors.notStricter(jurisdiction, role, competency, existing.minLevel);
  }
}
