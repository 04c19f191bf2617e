import type { DomainCommand } from '../shared/decider.js';
import type { ProgrammeContent } from './programme.events.js';

export type DefineProgramme = DomainCommand<
  'DefineProgramme',
  ProgrammeContent & { readonly programmeId: string }
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
