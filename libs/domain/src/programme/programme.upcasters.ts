import type { EventUpcaster } from '../evolution/event-upcaster.js';
import { recordedDefinerScope } from './programme-scope.js';
import type { ProgrammeDefined, ProgrammeRevised } from './programme.events.js';

/** ProgrammeDefined as Cadre wrote it until version 2: no scope, no framework version. */
export type ProgrammeDefinedV1Data = Omit<ProgrammeDefined['data'], 'scope' | 'frameworkVersion'>;
/** ProgrammeRevised as Cadre wrote it until version 2: no framework version. */
export type ProgrammeRevisedV1Data = Omit<ProgrammeRevised['data'], 'frameworkVersion'>;

/**
 * ProgrammeDefined v1 → v2: the scope is the definer's, from the jurisdictions the envelope's
 * actor held (`recordedDefinerScope`: regional when that does not tell); the content was checked
 * against no framework version (null).
 */
export const programmeDefinedV1ToV2: EventUpcaster = {
  type: 'ProgrammeDefined',
  fromVersion: 1,
  upcast: ({ data, metadata }) => {
    const defined: ProgrammeDefined['data'] = {
      ...(data as ProgrammeDefinedV1Data),
      scope: recordedDefinerScope(metadata.actor),
      frameworkVersion: null,
    };
    return { data: defined };
  },
};

/** ProgrammeRevised v1 → v2: checked against no framework version (null). */
export const programmeRevisedV1ToV2: EventUpcaster = {
  type: 'ProgrammeRevised',
  fromVersion: 1,
  upcast: ({ data }) => {
    const revised: ProgrammeRevised['data'] = { ...(data as ProgrammeRevisedV1Data), frameworkVersion: null };
    return { data: revised };
  },
};

export const programmeUpcasters: readonly EventUpcaster[] = [programmeDefinedV1ToV2, programmeRevisedV1ToV2];
