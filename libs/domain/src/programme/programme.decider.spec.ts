import { describe, it } from '@jest/globals';
import type { Actor } from '@cadre/kernel';
import type { FrameworkDefinition } from '../shared/requirements.js';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import type { DefineProgramme, ProgrammeCommand } from './programme.commands.js';
import { programmeDecider, type ProgrammeContext } from './programme.decider.js';
import type { ProgrammeEvent } from './programme.events.js';

describe('programme decider', () => {
  const spec = deciderSpec(programmeDecider, (): ProgrammeContext => ({ ...testContext(), framework }));

  it('defines a programme with the competencies and levels it grants, its scope and the framework version checked', () => {
    spec.given([]).when(define).then([defined]);
  });

  it('refuses a programme without competencies, with zero hours or an unknown kind', () => {
    spec
      .given([])
      .when({ ...define, data: { ...define.data, competencies: [] } })
      .then('COMMAND.FIELD_REQUIRED');
    spec
      .given([])
      .when({ ...define, data: { ...define.data, hours: 0 } })
      .then('COMMAND.FIELD_OUT_OF_RANGE');
    spec
      .given([])
      .when({ ...define, data: { ...define.data, kind: 'webinar' } } as unknown as ProgrammeCommand)
      .then('COMMAND.FIELD_NOT_ALLOWED');
  });

  it('refuses to define it twice', () => {
    spec.given([defined]).when(define).then('PROGRAMME.ALREADY_DEFINED');
  });

  it('grants only competencies and levels of the latest published framework version, listing each other one', () => {
    spec
      .given([])
      .when({
        ...define,
        data: {
          ...define.data,
          competencies: [
            { competency: 'radicalisation-awareness', level: 'expert' },
            { competency: 'dynamic-security', level: 'awareness' },
            { competency: 'constructor', level: 'awareness' },
          ],
        },
      })
      .thenThrows('PROGRAMME.COMPETENCY_NOT_IN_FRAMEWORK', {
        frameworkVersion: 'v2',
        competencies: [
          { competency: 'radicalisation-awareness', level: 'expert' },
          { competency: 'constructor', level: 'awareness' },
        ],
      });
    spec.given([]).when(define, { framework: null }).then('PROGRAMME.NO_PUBLISHED_FRAMEWORK');
    spec
      .given([defined])
      .when({ type: 'ReviseProgramme', data: { programmeId: 'p-1', hours: 24 } }, { framework: null })
      .then('PROGRAMME.NO_PUBLISHED_FRAMEWORK');
  });

  it('scopes a definition: regional for a regional definer, else the definer’s one jurisdiction, or the one named', () => {
    spec
      .given([])
      .when(define, { actor: ALBANIA })
      .then([{ ...defined, data: { ...defined.data, scope: 'AL' } }]);
    spec
      .given([])
      .when({ ...define, data: { ...define.data, scope: 'RS' } })
      .then([{ ...defined, data: { ...defined.data, scope: 'RS' } }]);
    spec
      .given([])
      .when(
        { ...define, data: { ...define.data, scope: 'BA' } },
        { actor: { ...ALBANIA, jurisdictions: ['AL', 'BA'] } },
      )
      .then([{ ...defined, data: { ...defined.data, scope: 'BA' } }]);
    spec
      .given([])
      .when(define, { actor: { ...ALBANIA, jurisdictions: ['AL', 'BA'] } })
      .then('PROGRAMME.SCOPE_REQUIRED');
    spec
      .given([])
      .when({ ...define, data: { ...define.data, scope: '*' } }, { actor: ALBANIA })
      .then('PROGRAMME.OUTSIDE_SCOPE');
    spec
      .given([])
      .when({ ...define, data: { ...define.data, scope: 'RS' } }, { actor: ALBANIA })
      .then('PROGRAMME.OUTSIDE_SCOPE');
  });

  it('revises with the whole new content, checked again against the latest published version', () => {
    spec
      .given([defined])
      .when(
        { type: 'ReviseProgramme', data: { programmeId: 'p-1', hours: 24 } },
        { framework: { ...framework, version: 'v3' } },
      )
      .then([
        {
          type: 'ProgrammeRevised',
          data: { ...content, programmeId: 'p-1', hours: 24, frameworkVersion: 'v3' },
        },
      ]);
  });

  it('lets only a coordinator of its scope revise or retire it', () => {
    const revise: ProgrammeCommand = { type: 'ReviseProgramme', data: { programmeId: 'p-1', hours: 24 } };
    const retire: ProgrammeCommand = { type: 'RetireProgramme', data: { programmeId: 'p-1' } };
    const albanian = { ...defined, data: { ...defined.data, scope: 'AL' } };
    spec
      .given([defined])
      .when(revise, { actor: ALBANIA })
      .thenThrows('PROGRAMME.OUTSIDE_SCOPE', { scope: '*' });
    spec.given([defined]).when(retire, { actor: ALBANIA }).then('PROGRAMME.OUTSIDE_SCOPE');
    spec
      .given([albanian])
      .when(revise, { actor: { ...ALBANIA, jurisdictions: ['RS'] } })
      .then('PROGRAMME.OUTSIDE_SCOPE');
    spec
      .given([albanian])
      .when(revise, { actor: ALBANIA })
      .then([
        {
          type: 'ProgrammeRevised',
          data: { ...content, programmeId: 'p-1', hours: 24, frameworkVersion: 'v2' },
        },
      ]);
    spec.given([albanian]).when(retire, { actor: ALBANIA }).then([retired]);
    // A regional coordinator acts in every jurisdiction.
    spec.given([albanian]).when(retire).then([retired]);
    spec.given([defined]).when(retire).then([retired]);
  });

  it('keeps the definition’s scope through revisions', () => {
    const albanian = { ...defined, data: { ...defined.data, scope: 'AL' } };
    const revised: ProgrammeEvent = {
      type: 'ProgrammeRevised',
      data: { ...content, programmeId: 'p-1', hours: 24, frameworkVersion: 'v2' },
    };
    spec
      .given([albanian, revised])
      .when(
        { type: 'RetireProgramme', data: { programmeId: 'p-1' } },
        { actor: { ...ALBANIA, jurisdictions: ['RS'] } },
      )
      .then('PROGRAMME.OUTSIDE_SCOPE');
  });

  it('retires, after which nothing changes', () => {
    spec
      .given([defined])
      .when({ type: 'RetireProgramme', data: { programmeId: 'p-1' } })
      .then([retired]);
    spec
      .given([defined, retired])
      .when({ type: 'ReviseProgramme', data: { programmeId: 'p-1', hours: 2 } })
      .then('PROGRAMME.RETIRED');
    spec
      .given([])
      .when({ type: 'RetireProgramme', data: { programmeId: 'p-1' } })
      .then('PROGRAMME.NOT_FOUND');
  });

  const retired: ProgrammeEvent = { type: 'ProgrammeRetired', data: { programmeId: 'p-1', reason: null } };
  const ALBANIA: Actor = { sub: 'al-coordinator', roles: ['training-coordinator'], jurisdictions: ['AL'] };
  const framework: FrameworkDefinition = {
    version: 'v2',
    roles: {},
    competencies: {
      'radicalisation-awareness': {
        title: 'Radicalisation awareness',
        levels: {
          awareness: { validityMonths: 24, recertificationWindowDays: 60 },
          trainer: { validityMonths: 24, recertificationWindowDays: 60 },
        },
      },
      'dynamic-security': {
        title: 'Dynamic security',
        levels: { awareness: { validityMonths: 24, recertificationWindowDays: 60 } },
      },
    },
    requirements: [],
  };
  const content = {
    title: 'Training of trainers: radicalisation awareness',
    competencies: [{ competency: 'radicalisation-awareness', level: 'trainer' as const }],
    kind: 'train-the-trainer' as const,
    hours: 16,
    methodology: 'Cascade, case studies',
  };
  const define: DefineProgramme = { type: 'DefineProgramme', data: { programmeId: 'p-1', ...content } };
  const defined = {
    type: 'ProgrammeDefined',
    data: { programmeId: 'p-1', ...content, scope: '*', frameworkVersion: 'v2' },
  } satisfies ProgrammeEvent;
});
