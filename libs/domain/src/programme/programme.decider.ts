import { assertNever, eventFactory, type Decider, type DecisionContext } from '../shared/decider.js';
import { LEVELS } from '../shared/levels.js';
import { requireNonEmpty, requireNumber, requireOneOf, requireText } from '../shared/validation.js';
import type { ProgrammeCommand } from './programme.commands.js';
import { programmeErrors } from './programme.errors.js';
import { PROGRAMME_KINDS, type ProgrammeContent, type ProgrammeEvent } from './programme.events.js';

export type ProgrammeState =
  | { readonly status: 'none' }
  | ({ readonly status: 'defined'; readonly programmeId: string } & ProgrammeContent)
  | ({ readonly status: 'retired'; readonly programmeId: string } & ProgrammeContent);

/** A programme of a thousand hours is a typing mistake, not a course. */
const MAX_HOURS = 500;

export const initialProgrammeState = (): ProgrammeState => ({ status: 'none' });

export function decideProgramme(
  command: ProgrammeCommand,
  state: ProgrammeState,
  context: DecisionContext,
): ProgrammeEvent[] {
  const emit = eventFactory<ProgrammeEvent>(command, context);
  const { programmeId } = command.data;
  switch (command.type) {
    case 'DefineProgramme':
      if (state.status !== 'none') throw programmeErrors.alreadyDefined(programmeId);
      return [emit('ProgrammeDefined', { programmeId, ...content(command.data) })];
    case 'ReviseProgramme': {
      const current = requireDefined(state, programmeId);
      const { programmeId: _id, ...changes } = command.data;
      return [emit('ProgrammeRevised', { programmeId, ...content({ ...current, ...changes }) })];
    }
    case 'RetireProgramme':
      requireDefined(state, programmeId);
      return [emit('ProgrammeRetired', { programmeId, reason: command.data.reason?.trim() || null })];
    default:
      return assertNever(command);
  }
}

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeDefined':
    case 'ProgrammeRevised':
      return { status: 'defined', ...event.data };
    case 'ProgrammeRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}

/** A training programme (`programme-<id>`): what a session teaches and the competencies it grants. */
export const programmeDecider: Decider<ProgrammeCommand, ProgrammeEvent, ProgrammeState> = {
  decide: decideProgramme,
  evolve: evolveProgramme,
  initialState: initialProgrammeState,
};

function requireDefined(state: ProgrammeState, programmeId: string): ProgrammeContent {
  switch (state.status) {
    case 'none':
      throw programmeErrors.notFound(programmeId);
    case 'retired':
      throw programmeErrors.retired(programmeId);
    case 'defined':
      return state;
    default:
      return assertNever(state);
  }
}

function content(data: ProgrammeContent): ProgrammeContent {
  const competencies = requireNonEmpty(data.competencies, 'competencies').map(({ competency, level }, i) => ({
    competency: requireText(competency, `competencies[${i}].competency`),
    level: requireOneOf(level, LEVELS, `competencies[${i}].level`),
  }));
  const seen = new Set<string>();
  for (const { competency } of competencies) {
    if (seen.has(competency)) throw programmeErrors.duplicateCompetency(competency);
    seen.add(competency);
  }
  return {
    title: requireText(data.title, 'title'),
    competencies,
    kind: requireOneOf(data.kind, PROGRAMME_KINDS, 'kind'),
    hours: requireNumber(data.hours, 'hours', 0.5, MAX_HOURS),
    methodology: requireText(data.methodology, 'methodology'),
  };
}
