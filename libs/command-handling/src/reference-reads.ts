import {
  adoptedVersionAt,
  DomainRuleError,
  frameworkDecider,
  frameworkStream,
  jurisdictionDecider,
  latestPublishedFramework,
  type FrameworkDefinition,
  type PublishedFramework,
  type Instant,
  type JurisdictionRules,
  type StaffSnapshot,
  type StaffState,
  type TeamRules,
  staffDecider,
  staffSnapshot,
} from '@cadre/domain';
import type { EventStore, Position } from '@cadre/event-store';
import { readLog } from '@cadre/subscriptions';
import { loadAggregate, toDomainEvent } from './handle-command.js';

/**
 * A jurisdiction's rules and the framework version it had adopted at `at`, each read from its
 * stream at its current revision: what team assignments check, what awards' validity comes from.
 * Shared by the Nest command handlers (`ReferenceData`) and the process managers. Refused (422)
 * when the jurisdiction had adopted no framework then.
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

/**
 * A jurisdiction's rules with every framework version it adopted (what the one qualification
 * rule reads for any instant), as the log stood at `upTo` when given (a process judging an event
 * reads the rules as of that event's position), else now. An unknown jurisdiction has no rules.
 */
export async function loadJurisdictionRules(
  store: EventStore,
  code: string,
  upTo?: Position,
): Promise<TeamRules> {
  const events = await readUpTo(store, `jurisdiction-${code}`, upTo);
  const state = events.reduce(
    (s, e) => jurisdictionDecider.evolve(s, toDomainEvent(e)),
    jurisdictionDecider.initialState(),
  );
  const jurisdiction: JurisdictionRules =
    state.status === 'active' ? state : { code, adoptions: [], additions: [] };
  const versions = [...new Set(jurisdiction.adoptions.map((a) => a.version))];
  const frameworks: Record<string, FrameworkDefinition> = {};
  await Promise.all(
    versions.map(async (version) => {
      // A published version is immutable: read as it stands.
      const framework = (await loadAggregate(store, `framework-${version}`, frameworkDecider)).state;
      if (framework.status !== 'none') frameworks[version] = framework;
    }),
  );
  return { jurisdiction, frameworks };
}

/** A stream's events up to a global position (all of them without one). */
export async function readUpTo(store: EventStore, stream: string, upTo?: Position) {
  const events = await store.readStream(stream);
  return upTo === undefined ? events : events.filter((e) => store.comparePositions(e.position, upTo) <= 0);
}

/**
 * People's snapshots (where they stand, and their whole history) by id, as their streams stood at
 * `upTo` when given, else now; ids with no registration by then are left out.
 */
export async function loadStaffSnapshots(
  store: EventStore,
  staffIds: readonly string[],
  upTo?: Position,
): Promise<Record<string, StaffSnapshot>> {
  const read = await Promise.all(
    staffIds.map(async (staffId) => {
      const events = await readUpTo(store, `staff-${staffId}`, upTo);
      const state = events.reduce(
        (s: StaffState, e) => staffDecider.evolve(s, toDomainEvent(e)),
        staffDecider.initialState(),
      );
      return [staffId, staffSnapshot(state)] as const;
    }),
  );
  const snapshots: Record<string, StaffSnapshot> = {};
  for (const [staffId, snapshot] of read) if (snapshot) snapshots[staffId] = snapshot;
  return snapshots;
}

/**
 * The latest published framework version that is not retired (`latestPublishedFramework`), each
 * published version read from its stream now; undefined when none is. Finds the versions by
 * their publications in the log (framework streams only).
 */
export async function loadLatestPublishedFramework(
  store: EventStore,
): Promise<PublishedFramework | undefined> {
  const versions = new Set<string>();
  for await (const page of readLog(store, {
    filter: { eventTypePrefixes: [PUBLISHED], streamCategories: ['framework'] },
    pageSize: 1000,
  })) {
    for (const event of page)
      if (event.type === PUBLISHED) versions.add((event.data as { version: string }).version);
  }
  const states = await Promise.all(
    [...versions].map(
      async (version) => (await loadAggregate(store, frameworkStream(version), frameworkDecider)).state,
    ),
  );
  return latestPublishedFramework(states);
}

const PUBLISHED = 'FrameworkVersionPublished';
