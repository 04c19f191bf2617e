import { describe, it } from '@jest/globals';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import type { DefineCompetency, FrameworkCommand } from './framework.commands.js';
import { frameworkDecider } from './framework.decider.js';
import type { FrameworkEvent } from './framework.events.js';

describe('framework decider', () => {
  const spec = deciderSpec(frameworkDecider, () => testContext());

  it('drafts a version', () => {
    spec.given([]).when(draft).then([drafted]);
  });

  it('refuses drafting the same version twice', () => {
    spec.given([drafted]).when(draft).then('FRAMEWORK.ALREADY_DRAFTED');
  });

  it('accepts regional acts only', () => {
    const national = { sub: 'al-coordinator', roles: ['training-coordinator'], jurisdictions: ['AL'] };
    spec.given([]).when(draft, { actor: national }).then('ACTOR.REGIONAL_ONLY');
  });

  it('refuses a version code unfit for a stream name', () => {
    spec
      .given([])
      .when({ type: 'DraftFrameworkVersion', data: { version: 'v 1/2', title: 'x' } })
      .then('FRAMEWORK.INVALID_CODE');
  });

  it('defines roles, competencies with per-level validity, and requirements', () => {
    spec
      .given([drafted])
      .when(defineRole('manager'))
      .then([roleDefined('manager')]);
    spec.given([drafted]).when(defineCompetency).then([competencyDefined]);
    spec
      .given([drafted, roleDefined('manager'), competencyDefined])
      .when(defineRequirement('manager', 'awareness'))
      .then([requirementDefined('manager', 'awareness')]);
  });

  it('refuses a role defined twice', () => {
    spec
      .given([drafted, roleDefined('manager')])
      .when(defineRole('manager'))
      .then('FRAMEWORK.ROLE_ALREADY_DEFINED');
  });

  it('refuses a recertification window as long as the validity', () => {
    const tooLong: DefineCompetency = {
      ...defineCompetency,
      data: {
        ...defineCompetency.data,
        levels: { awareness: { validityMonths: 1, recertificationWindowDays: 31 } },
      },
    };
    spec.given([drafted]).when(tooLong).then('COMMAND.FIELD_OUT_OF_RANGE');
  });

  it('refuses a competency without levels or with an unknown level', () => {
    const none: DefineCompetency = { ...defineCompetency, data: { ...defineCompetency.data, levels: {} } };
    spec.given([drafted]).when(none).then('FRAMEWORK.INVALID_LEVELS');
    const unknown = {
      ...defineCompetency,
      data: {
        ...defineCompetency.data,
        levels: { master: { validityMonths: 12, recertificationWindowDays: 30 } },
      },
    } as unknown as FrameworkCommand;
    spec.given([drafted]).when(unknown).then('FRAMEWORK.INVALID_LEVELS');
  });

  it('refuses a requirement naming a role or competency outside the version', () => {
    spec
      .given([drafted, competencyDefined])
      .when(defineRequirement('manager', 'awareness'))
      .then('FRAMEWORK.UNKNOWN_ROLE');
    spec
      .given([drafted, roleDefined('manager')])
      .when(defineRequirement('manager', 'awareness'))
      .then('FRAMEWORK.UNKNOWN_COMPETENCY');
  });

  it('refuses a requirement at a level no defined level reaches', () => {
    spec
      .given([drafted, roleDefined('manager'), competencyDefined])
      .when(defineRequirement('manager', 'trainer'))
      .then('FRAMEWORK.LEVEL_NOT_DEFINED');
  });

  it('refuses a second requirement for the same role and competency', () => {
    spec
      .given([drafted, roleDefined('manager'), competencyDefined, requirementDefined('manager', 'awareness')])
      .when(defineRequirement('manager', 'specialised'))
      .then('FRAMEWORK.REQUIREMENT_ALREADY_DEFINED');
  });

  it('publishes a version with roles and competencies, not an empty one', () => {
    spec
      .given([drafted, roleDefined('manager'), competencyDefined])
      .when(publish)
      .then([published]);
    spec.given([drafted]).when(publish).then('FRAMEWORK.INCOMPLETE');
  });

  it('keeps a published version immutable', () => {
    const history = [drafted, roleDefined('manager'), competencyDefined, published];
    spec.given(history).when(defineRole('trainer')).then('FRAMEWORK.PUBLISHED_IMMUTABLE');
    spec.given(history).when(defineCompetency).then('FRAMEWORK.PUBLISHED_IMMUTABLE');
    spec.given(history).when(defineRequirement('manager', 'awareness')).then('FRAMEWORK.PUBLISHED_IMMUTABLE');
    spec.given(history).when(publish).then('FRAMEWORK.PUBLISHED_IMMUTABLE');
  });

  it('retires a published version only, once', () => {
    const history = [drafted, roleDefined('manager'), competencyDefined, published];
    spec
      .given(history)
      .when({ type: 'RetireFrameworkVersion', data: { version: 'v1', reason: 'superseded by v2' } })
      .then([{ type: 'FrameworkVersionRetired', data: { version: 'v1', reason: 'superseded by v2' } }]);
    spec.given([drafted]).when(retire).then('FRAMEWORK.NOT_PUBLISHED');
    spec
      .given([...history, { type: 'FrameworkVersionRetired', data: { version: 'v1', reason: null } }])
      .when(retire)
      .then('FRAMEWORK.RETIRED');
  });

  it('refuses commands on a version never drafted', () => {
    spec.given([]).when(defineRole('manager')).then('FRAMEWORK.NOT_FOUND');
  });

  const draft: FrameworkCommand = {
    type: 'DraftFrameworkVersion',
    data: { version: 'v1', title: 'Sample regional framework' },
  };
  const drafted: FrameworkEvent = {
    type: 'FrameworkVersionDrafted',
    data: { version: 'v1', title: 'Sample regional framework' },
  };
  const defineRole = (role: string): FrameworkCommand => ({
    type: 'DefineRole',
    data: { version: 'v1', role, title: role },
  });
  const roleDefined = (role: string): FrameworkEvent => ({
    type: 'RoleDefined',
    data: { version: 'v1', role, title: role },
  });
  const levels = {
    awareness: { validityMonths: 24, recertificationWindowDays: 60 },
    expert: { validityMonths: 36, recertificationWindowDays: 90 },
  };
  const defineCompetency: DefineCompetency = {
    type: 'DefineCompetency',
    data: {
      version: 'v1',
      competency: 'radicalisation-awareness',
      title: 'Radicalisation awareness',
      levels,
    },
  };
  const competencyDefined: FrameworkEvent = {
    type: 'CompetencyDefined',
    data: { ...defineCompetency.data },
  } as FrameworkEvent;
  const defineRequirement = (
    role: string,
    minLevel: 'awareness' | 'specialised' | 'trainer',
  ): FrameworkCommand => ({
    type: 'DefineRoleRequirement',
    data: { version: 'v1', role, competency: 'radicalisation-awareness', minLevel },
  });
  const requirementDefined = (role: string, minLevel: 'awareness'): FrameworkEvent => ({
    type: 'RoleRequirementDefined',
    data: { version: 'v1', role, competency: 'radicalisation-awareness', minLevel },
  });
  const publish: FrameworkCommand = { type: 'PublishFrameworkVersion', data: { version: 'v1' } };
  const published: FrameworkEvent = { type: 'FrameworkVersionPublished', data: { version: 'v1' } };
  const retire: FrameworkCommand = { type: 'RetireFrameworkVersion', data: { version: 'v1' } };
});
