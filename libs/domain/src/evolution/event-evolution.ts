import { programmeUpcasters } from '../programme/programme.upcasters.js';
import { teamUpcasters } from '../team/team.upcasters.js';
import type { EventEvolution } from './event-upcaster.js';

/**
 * The current schema version of every event type that has evolved; every other type is at 1.
 * Raising one means adding its upcaster from the previous version (decision 0014, "How to add a
 * version"): the event store refuses a chain with a gap when the process starts.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  /** v2: `assignedAt`, the assignment's business time, in the data. */
  MemberAssigned: 2,
  /** v2: `scope` (who may change it) and `frameworkVersion` (what its grants were checked against). */
  ProgrammeDefined: 2,
  /** v2: `frameworkVersion`. */
  ProgrammeRevised: 2,
};

/** What the composition hands to the event store (`new UpcasterChain(EVENT_EVOLUTION)`). */
export const EVENT_EVOLUTION: EventEvolution = {
  currentVersions: CURRENT_SCHEMA_VERSIONS,
  upcasters: [...teamUpcasters, ...programmeUpcasters],
};

/** The version a writer stamps on a new event of `type`. */
export const schemaVersionOf = (type: string): number => CURRENT_SCHEMA_VERSIONS[type] ?? 1;
