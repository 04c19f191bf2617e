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

/**
 * Who may change a programme: `*` (regional) or one jurisdiction's code. Set when it is defined,
 * never changed: only a coordinator of that scope revises or retires it.
 */
export interface ProgrammeScope {
  readonly scope: string;
}

/**
 * The latest published framework version the content was checked against (each competency and
 * level granted is defined there); null for content recorded before the check (v1 events).
 */
export interface CheckedAgainst {
  readonly frameworkVersion: string | null;
}

/** v2: `scope` and `frameworkVersion` (v1 → v2 in programme.upcasters.ts). */
export type ProgrammeDefined = DomainEvent<
  'ProgrammeDefined',
  ProgrammeContent & ProgrammeScope & CheckedAgainst & { readonly programmeId: string }
>;
/**
 * Carries the whole revised content, not a diff: a reader needs no earlier event to know it.
 * v2: `frameworkVersion`.
 */
export type ProgrammeRevised = DomainEvent<
  'ProgrammeRevised',
  ProgrammeContent & CheckedAgainst & { readonly programmeId: string }
>;
export type ProgrammeRetired = DomainEvent<
  'ProgrammeRetired',
  { readonly programmeId: string; readonly reason: string | null }
>;

export type ProgrammeEvent = ProgrammeDefined | ProgrammeRevised | ProgrammeRetired;

export const programmeStream = (programmeId: string): string => `programme-${programmeId}`;
