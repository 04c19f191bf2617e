import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';

export const PROGRAMME_KINDS = ['awareness', 'specialised', 'train-the-trainer'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/** A programme grants each of its competencies at a level to those who pass. */
export interface GrantedCompetency {
  readonly competency: string;
  readonly level: Level;
}

export interface ProgrammeContent {
  readonly title: string;
  readonly competencies: readonly GrantedCompetency[];
  readonly kind: ProgrammeKind;
  readonly hours: number;
  readonly methodology: string;
}

export type ProgrammeDefined = DomainEvent<
  'ProgrammeDefined',
  ProgrammeContent & { readonly programmeId: string }
>;
/** Carries the whole revised content, not a diff: a reader needs no earlier event to know it. */
export type ProgrammeRevised = DomainEvent<
  'ProgrammeRevised',
  ProgrammeContent & { readonly programmeId: string }
>;
export type ProgrammeRetired = DomainEvent<
  'ProgrammeRetired',
  { readonly programmeId: string; readonly reason: string | null }
>;

export type ProgrammeEvent = ProgrammeDefined | ProgrammeRevised | ProgrammeRetired;

export const programmeStream = (programmeId: string): string => `programme-${programmeId}`;
