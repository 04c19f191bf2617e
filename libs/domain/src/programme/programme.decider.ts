import type { FrameworkDefinition } from '../shared/requirements.js';
import { assertNever, eventFactory, type Decider, type DecisionContext } from '../shared/decider.js';
import { LEVELS } from '../shared/levels.js';
import { requireNonEmpty, requireNumber, requireOneOf, requireText } from '../shared/validation.js';
import type { ProgrammeCommand } from './programme.commands.js';
import { programmeErrors } from './programme.errors.js';
import { assertMayChangeProgramme, definerScope } from './programme-scope.js';
import {
  PROGRAMME_KINDS,
  type CheckedAgainst,
  type GrantedCompetency,
  type ProgrammeContent,
  type ProgrammeEvent,
  type ProgrammeScope,
} from './programme.events.js';

type Programme = { readonly programmeId: string } & ProgrammeContent & ProgrammeScope & CheckedAgainst;

export type ProgrammeState =
  | { readonly status: 'none' }
  | ({ readonly status: 'defined' } & Programme)
  | ({ readonly status: 'retired' } & Programme);

/**
 * What a programme decision reads besides its stream: the latest published framework version
 * (`latestPublishedFramework`), null when none is published. A definition or a revision grants
 * only the competencies and levels it defines; retiring reads nothing.
 */
export interface ProgrammeContext extends DecisionContext {
  readonly framework: FrameworkDefinition | null;
}

/** A programme of a thousand hours is a typing mistake, not a course. */
const MAX_HOURS = 500;

export const initialProgrammeState = (): ProgrammeState => ({ status: 'none' });

export function decideProgramme(
  command: ProgrammeCommand,
  state: ProgrammeState,
  context: ProgrammeContext,
): ProgrammeEvent[] {
  const emit = eventFactory<ProgrammeEvent>(command, context);
  const { programmeId } = command.data;
  switch (command.type) {
    case 'DefineProgramme': {
      if (state.status !== 'none') throw programmeErrors.alreadyDefined(programmeId);
      const { programmeId: _id, scope: requested, ...data } = command.data;
      const scope = definerScope(context.actor, requested);
      const defined = content(data);
      const frameworkVersion = grantedByFramework(defined.competencies, context.framework);
      return [emit('ProgrammeDefined', { programmeId, ...defined, scope, frameworkVersion })];
    }
    case 'ReviseProgramme': {
      const current = requireDefined(state, programmeId);
      assertMayChangeProgramme(context.actor, current.scope, programmeId);
      const { programmeId: _id, ...changes } = command.data;
      const revised = content({ ...current, ...changes });
      const frameworkVersion = grantedByFramework(revised.competencies, context.framework);
      return [emit('ProgrammeRevised', { programmeId, ...revised, frameworkVersion })];
    }
    case 'RetireProgramme': {
      const current = requireDefined(state, programmeId);
      assertMayChangeProgramme(context.actor, current.scope, programmeId);
      return [emit('ProgrammeRetired', { programmeId, reason: command.data.reason?.trim() || null })];
    }
    default:
      return assertNever(command);
  }
}

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeDefined':
      return { status: 'defined', ...event.data };
    case 'ProgrammeRevised':
      // The scope is the definition's: a revision never changes it.
      return state.status === 'none' ? state : { ...state, status: 'defined', ...event.data };
    case 'ProgrammeRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}

/** A training programme (`programme-<id>`): what a session teaches and the competencies it grants. */
export const programmeDecider: Decider<ProgrammeCommand, ProgrammeEvent, ProgrammeState, ProgrammeContext> = {
  decide: decideProgramme,
  evolve: evolveProgramme,
  initialState: initialProgrammeState,
};

function requireDefined(state: ProgrammeState, programmeId: string): Programme {
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

/**
 * Refuses competencies or levels that the latest published framework version does not define
 * (each one listed); answers that version, which the event records.
 */
function grantedByFramework(
  granted: readonly GrantedCompetency[],
  framework: FrameworkDefinition | null,
): string {
  if (!framework) throw programmeErrors.noPublishedFramework();
  const defines = ({ competency, level }: GrantedCompetency): boolean =>
    Object.hasOwn(framework.competencies, competency) &&
    Object.hasOwn(framework.competencies[competency]!.levels, level);
  const undefinedGrants = granted.filter((grant) => !defines(grant));
  if (undefinedGrants.length > 0) throw programmeErrors.notInFramework(framework.version, undefinedGrants);
  return framework.version;
}
