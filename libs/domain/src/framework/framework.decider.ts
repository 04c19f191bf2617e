import { assertRegional } from '../shared/actor.js';
import { assertNever, eventFactory, type Decider, type DecisionContext } from '../shared/decider.js';
import { isLevel, LEVELS, meetsLevel } from '../shared/levels.js';
import type { FrameworkDefinition } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';
import { requireInteger, requireText } from '../shared/validation.js';
import type { CompetencyLevels } from '../shared/validity.js';
import type {
  DefineCompetency,
  DefineRoleRequirement,
  DraftFrameworkVersion,
  FrameworkCommand,
} from './framework.commands.js';
import { frameworkErrors } from './framework.errors.js';
import type { FrameworkEvent } from './framework.events.js';

export interface FrameworkContent extends FrameworkDefinition {
  readonly title: string;
}

/**
 * When a version was published: the business time of its `FrameworkVersionPublished`. Versions
 * are ordered by it (a jurisdiction adopting one published before the version in force needs a
 * reason); null only for events folded without their envelope (unit fixtures).
 */
interface Publication {
  readonly publishedAt: Instant | null;
}

/** A version is drafted, then published (immutable from then on), then possibly retired. */
export type FrameworkState =
  | { readonly status: 'none' }
  | ({ readonly status: 'draft' } & FrameworkContent)
  | ({ readonly status: 'published' } & FrameworkContent & Publication)
  | ({ readonly status: 'retired' } & FrameworkContent & Publication);

const CODE = /^[a-z][a-z0-9-]{0,63}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** A window must open after the certification starts: at most the shortest month count in days. */
const DAYS_PER_MONTH_AT_LEAST = 28;

export const initialFrameworkState = (): FrameworkState => ({ status: 'none' });

export function decideFramework(
  command: FrameworkCommand,
  state: FrameworkState,
  context: DecisionContext,
): FrameworkEvent[] {
  assertRegional(context.actor);
  const emit = eventFactory<FrameworkEvent>(command, context);
  const { version } = command.data;
  switch (command.type) {
    case 'DraftFrameworkVersion':
      if (state.status !== 'none') throw frameworkErrors.alreadyDrafted(version);
      return [emit('FrameworkVersionDrafted', draft(command))];
    case 'DefineRole': {
      const draft = requireDraft(state, version);
      const role = code(command.data.role, 'role');
      if (draft.roles[role]) throw frameworkErrors.roleAlreadyDefined(version, role);
      return [emit('RoleDefined', { version, role, title: requireText(command.data.title, 'title') })];
    }
    case 'DefineCompetency': {
      const draft = requireDraft(state, version);
      const competency = code(command.data.competency, 'competency');
      if (draft.competencies[competency]) throw frameworkErrors.competencyAlreadyDefined(version, competency);
      return [
        emit('CompetencyDefined', {
          version,
          competency,
          title: requireText(command.data.title, 'title'),
          levels: levels(command),
        }),
      ];
    }
    case 'DefineRoleRequirement':
      return [emit('RoleRequirementDefined', requirement(command, requireDraft(state, version)))];
    case 'PublishFrameworkVersion': {
      const draft = requireDraft(state, version);
      if (Object.keys(draft.roles).length === 0 || Object.keys(draft.competencies).length === 0) {
        throw frameworkErrors.incomplete(version);
      }
      return [emit('FrameworkVersionPublished', { version })];
    }
    case 'RetireFrameworkVersion':
      if (state.status === 'none') throw frameworkErrors.notFound(version);
      if (state.status === 'draft') throw frameworkErrors.notPublished(version);
      if (state.status === 'retired') throw frameworkErrors.alreadyRetired(version);
      return [emit('FrameworkVersionRetired', { version, reason: command.data.reason?.trim() || null })];
    default:
      return assertNever(command);
  }
}

export function evolveFramework(state: FrameworkState, event: FrameworkEvent): FrameworkState {
  switch (event.type) {
    case 'FrameworkVersionDrafted':
      return { status: 'draft', ...event.data, roles: {}, competencies: {}, requirements: [] };
    case 'RoleDefined':
      return withContent(state, (s) => ({
        ...s,
        roles: { ...s.roles, [event.data.role]: { title: event.data.title } },
      }));
    case 'CompetencyDefined': {
      const { competency, title, levels } = event.data;
      return withContent(state, (s) => ({
        ...s,
        competencies: { ...s.competencies, [competency]: { title, levels } },
      }));
    }
    case 'RoleRequirementDefined': {
      const { role, competency, minLevel } = event.data;
      return withContent(state, (s) => ({
        ...s,
        requirements: [...s.requirements, { role, competency, minLevel }],
      }));
    }
    case 'FrameworkVersionPublished':
      return state.status === 'none'
        ? state
        : { ...state, status: 'published', publishedAt: event.metadata?.occurredAt ?? null };
    case 'FrameworkVersionRetired':
      return state.status === 'none' ? state : { publishedAt: null, ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}

/** The training framework, one stream per version (`framework-<version>`). Regional (`*`) acts only. */
export const frameworkDecider: Decider<FrameworkCommand, FrameworkEvent, FrameworkState> = {
  decide: decideFramework,
  evolve: evolveFramework,
  initialState: initialFrameworkState,
};

function withContent(
  state: FrameworkState,
  change: (content: FrameworkContent) => FrameworkContent,
): FrameworkState {
  return state.status === 'none' ? state : { ...state, ...change(state) };
}

function requireDraft(state: FrameworkState, version: string): FrameworkContent {
  switch (state.status) {
    case 'none':
      throw frameworkErrors.notFound(version);
    case 'published':
    case 'retired':
      throw frameworkErrors.publishedImmutable(version);
    case 'draft':
      return state;
    default:
      return assertNever(state);
  }
}

function draft(command: DraftFrameworkVersion) {
  const { version, title } = command.data;
  if (!VERSION.test(version ?? '')) throw frameworkErrors.invalidCode('version', version);
  return { version, title: requireText(title, 'title') };
}

function code(value: string, field: string): string {
  if (!CODE.test(value ?? '')) throw frameworkErrors.invalidCode(field, value);
  return value;
}

function levels(command: DefineCompetency): CompetencyLevels {
  const { competency, levels } = command.data;
  const entries = Object.entries(levels ?? {});
  if (entries.length === 0) throw frameworkErrors.invalidLevels(competency, 'define at least one level');
  for (const [level, policy] of entries) {
    if (!isLevel(level))
      throw frameworkErrors.invalidLevels(competency, `"${level}" is not one of ${LEVELS.join(', ')}`);
    const months = requireInteger(policy?.validityMonths, `levels.${level}.validityMonths`, 1, 240);
    requireInteger(
      policy?.recertificationWindowDays,
      `levels.${level}.recertificationWindowDays`,
      0,
      months * DAYS_PER_MONTH_AT_LEAST - 1,
    );
  }
  return levels;
}

function requirement(command: DefineRoleRequirement, draft: FrameworkContent) {
  const { version, role, competency, minLevel } = command.data;
  if (!isLevel(minLevel)) throw frameworkErrors.invalidLevels(competency, `"${minLevel}" is not a level`);
  if (!draft.roles[role]) throw frameworkErrors.unknownRole(version, role);
  const defined = draft.competencies[competency];
  if (!defined) throw frameworkErrors.unknownCompetency(version, competency);
  if (!Object.keys(defined.levels).some((level) => isLevel(level) && meetsLevel(level, minLevel))) {
    throw frameworkErrors.levelNotDefined(version, competency, minLevel);
  }
  if (draft.requirements.some((r) => r.role === role && r.competency === competency)) {
    throw frameworkErrors.requirementAlreadyDefined(version, role, competency);
  }
  return { version, role, competency, minLevel };
}
