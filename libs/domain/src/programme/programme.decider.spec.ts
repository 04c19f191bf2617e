import { describe, it } from '@jest/globals';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import type { DefineProgramme, ProgrammeCommand } from './programme.commands.js';
import { programmeDecider } from './programme.decider.js';
import type { ProgrammeEvent } from './programme.events.js';

describe('programme decider', () => {
  const spec = deciderSpec(programmeDecider, () => testContext());

  it('defines a programme with the competencies and levels it grants', () => {
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

  it('revises with the whole new content', () => {
    spec
      .given([defined])
      .when({ type: 'ReviseProgramme', data: { programmeId: 'p-1', hours: 24 } })
      .then([{ type: 'ProgrammeRevised', data: { ...defined.data, hours: 24 } }]);
  });

  it('retires, after which nothing changes', () => {
    const retired: ProgrammeEvent = { type: 'ProgrammeRetired', data: { programmeId: 'p-1', reason: null } };
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

  const define: DefineProgramme = {
    type: 'DefineProgramme',
    data: {
      programmeId: 'p-1',
      title: 'Training of trainers: radicalisation awareness',
      competencies: [{ competency: 'radicalisation-awareness', level: 'trainer' }],
      kind: 'train-the-trainer',
      hours: 16,
      methodology: 'Cascade, case studies',
    },
  };
  const defined = { type: 'ProgrammeDefined', data: { ...define.data } } satisfies ProgrammeEvent;
});
