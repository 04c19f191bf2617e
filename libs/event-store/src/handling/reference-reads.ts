import {
  adoptedVersionAt,
  DomainRuleError,
  frameworkDecider,
  jurisdictionDecider,
  type FrameworkDefinition,
  type Instant,
  type JurisdictionRules,
} from '@cadre/domain';
import type { EventStore } from '../event-store.port.js';
import { loadAggregate } from './handle-command.js';

/**
 * A jurisdiction's rules and the framework version it had adopted at `at`, each read from its
 * stream at its current revision: what team assignments check, what awards' validity comes from.
 * Shared by the api's command handlers and the worker's process managers. Refused (422) when the
 * jurisdiction had adopted no framework then.
 */
export async function loadTeamRules(
  store: EventStore,
  code: string,
  at: Instant,
): Promise<{ framework: FrameworkDefinition; jurisdiction: JurisdictionRules }> {
  const state = (await loadAggregate(store, `jurisdiction-${code}`, jurisdictionDecider)).state;
  const jurisdiction: JurisdictionRules =
    state.status === 'active' ? state : { code, adoptions: [], additions: [] };
  const version = adoptedVersionAt(jurisdiction, at);
  const framework =
    version === undefined
      ? undefined
      : (await loadAggregate(store, `framework-${version}`, frameworkDecider)).state;
  if (framework === undefined || framework.status === 'none') {
    throw new DomainRuleError(
      'JURISDICTION.NO_FRAMEWORK_ADOPTED',
      `${code} had not adopted a training framework on ${at}, so no requirements can be checked.`,
      { jurisdiction: code, date: at },
    );
  }
  return { framework, jurisdiction };
}

/** The framework version a jurisdiction had adopted at `at` (see {@link loadTeamRules}). */
export async function loadFrameworkInForce(
  store: EventStore,
  code: string,
  at: Instant,
): Promise<FrameworkDefinition> {
  return (await loadTeamRules(store, code, at)).framework;
}
