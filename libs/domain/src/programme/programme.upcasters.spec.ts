import { describe, expect, it } from '@jest/globals';
import { CURRENT_SCHEMA_VERSIONS, EVENT_EVOLUTION, schemaVersionOf } from '../evolution/event-evolution.js';
import {
  programmeDefinedV1ToV2,
  programmeRevisedV1ToV2,
  type ProgrammeDefinedV1Data,
  type ProgrammeRevisedV1Data,
} from './programme.upcasters.js';

describe('ProgrammeDefined and ProgrammeRevised v1 → v2', () => {
  const definedBy = (jurisdictions: string[] | null) =>
    programmeDefinedV1ToV2.upcast({
      data: defined,
      metadata: { occurredAt: AT, actor: jurisdictions && { jurisdictions } },
    }).data;

  it('scopes a programme defined before scopes were recorded by its definer’s jurisdictions', () => {
    expect(definedBy(['*'])).toEqual({ ...defined, scope: '*', frameworkVersion: null });
    expect(definedBy(['AL', '*'])).toEqual({ ...defined, scope: '*', frameworkVersion: null });
    expect(definedBy(['AL'])).toEqual({ ...defined, scope: 'AL', frameworkVersion: null });
  });

  it('takes the safe side, regional, when the envelope does not tell one jurisdiction', () => {
    expect(definedBy(null)).toMatchObject({ scope: '*' });
    expect(definedBy([])).toMatchObject({ scope: '*' });
    expect(definedBy(['AL', 'RS'])).toMatchObject({ scope: '*' });
    expect(programmeDefinedV1ToV2.upcast({ data: defined, metadata: { occurredAt: AT } }).data).toMatchObject(
      {
        scope: '*',
      },
    );
  });

  it('records that an old revision was checked against no framework version', () => {
    const revised: ProgrammeRevisedV1Data = { ...defined, hours: 24 };
    expect(programmeRevisedV1ToV2.upcast({ data: revised, metadata: { occurredAt: AT } }).data).toEqual({
      ...revised,
      frameworkVersion: null,
    });
  });

  it('are the steps to the current versions, which writers stamp', () => {
    expect(CURRENT_SCHEMA_VERSIONS.ProgrammeDefined).toBe(2);
    expect(CURRENT_SCHEMA_VERSIONS.ProgrammeRevised).toBe(2);
    expect(schemaVersionOf('ProgrammeDefined')).toBe(2);
    expect(schemaVersionOf('ProgrammeRetired')).toBe(1);
    expect(EVENT_EVOLUTION.upcasters).toEqual(
      expect.arrayContaining([programmeDefinedV1ToV2, programmeRevisedV1ToV2]),
    );
  });

  const AT = '2025-02-01T08:30:00.000Z';
  const defined: ProgrammeDefinedV1Data = {
    programmeId: 'p-1',
    title: 'Radicalisation awareness',
    competencies: [{ competency: 'radicalisation-awareness', level: 'awareness' }],
    kind: 'awareness',
    hours: 16,
    methodology: 'Workshop',
  };
});
