import { describe, expect, it } from '@jest/globals';
import { eventFactory, type DecisionContext } from './decider.js';
import { DomainValidationError } from './domain-errors.js';

const now = '2026-03-01T09:00:00.000Z';
const person: DecisionContext = {
  now,
  newId: () => 'id-1',
  actor: { sub: 'manager-al', roles: ['manager'], jurisdictions: ['AL'] },
};
const processContext: DecisionContext = {
  ...person,
  actor: { sub: 'process:award-on-close', roles: ['system'], jurisdictions: ['*'] },
};

const refusal = (run: () => unknown): DomainValidationError | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as DomainValidationError;
  }
};

describe('text in commands is plain text (the deciders, through eventFactory)', () => {
  it('refuses a person’s command with text that is not plain, naming the field', () => {
    const error = refusal(() =>
      eventFactory(
        { type: 'FormTeam', data: { name: 'MDT', institutions: ['Tirana', 'Prison\u0000Podgorica'] } },
        person,
      ),
    );
    expect(error).toBeInstanceOf(DomainValidationError);
    expect(error).toMatchObject({ code: 'COMMAND.TEXT_NOT_PLAIN', details: { field: 'institutions[1]' } });
    expect(error?.message).toContain('NUL');
  });

  it('names nested fields and the reason', () => {
    const nested = refusal(() =>
      eventFactory({ type: 'AssignMember', data: { override: { justification: 'a\ud800' } } }, person),
    );
    expect(nested).toMatchObject({ details: { field: 'override.justification' } });
    const reason = refusal(() =>
      eventFactory(
        { type: 'DissolveTeam', data: { teamId: 't' }, metadata: { reason: 'Durre\u0308s' } },
        person,
      ),
    );
    expect(reason).toMatchObject({ code: 'COMMAND.TEXT_NOT_PLAIN', details: { field: 'reason' } });
  });

  it('accepts tab, newline and any script', () => {
    const data = { name: 'Завод за извршење, Ниш', note: 'Përgjithshme\n\tDurrës', count: 3, none: null };
    expect(() => eventFactory({ type: 'FormTeam', data }, person)).not.toThrow();
  });

  it('does not refuse a process’s command: its text comes from events already recorded', () => {
    const data = { reason: 'The assessment it rested on was voided: wrong\u0000person' };
    expect(() => eventFactory({ type: 'VoidRecord', data }, processContext)).not.toThrow();
  });
});
