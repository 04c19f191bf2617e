import type { DomainCommand } from '../shared/decider.js';
import type { ProgrammeContent } from './programme.events.js';

/**
 * `scope` (optional): who may change the programme, `*` or a jurisdiction the definer acts in. By
 * default `*` for a regional definer, else the definer's one jurisdiction.
 */
export type DefineProgramme = DomainCommand<
  'DefineProgramme',
  ProgrammeContent & { readonly programmeId: string; readonly scope?: string }
>;
/** Fields left out keep their current value. */
export type ReviseProgramme = DomainCommand<
  'ReviseProgramme',
  Partial<ProgrammeContent> & { readonly programmeId: string }
>;
export type RetireProgramme = DomainCommand<
  'RetireProgramme',
  { readonly programmeId: string; readonly reason?: string }
>;

export type ProgrammeCommand = DefineProgramme | ReviseProgramme | RetireProgramme;
