import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../bitemporal/history-spec.js';
import { lapseTimeline, membershipTimeline, teamTimeline } from './team-composition.timelines.js';

describe('team composition timelines', () => {
  const formed = fact('TeamFormed', JAN(), {
    name: 'T',
    jurisdiction: 'AL',
    kind: 'joint',
    requiredDisciplines: [],
  });

  it('the team: forming, then operational, until dissolved', () => {
    expect(
      teamTimeline([formed, fact('TeamDeclaredOperational', FEB(), {}), fact('TeamDissolved', MAR(), {})]),
    ).toEqual([
      { validFrom: JAN(), validTo: FEB(), values: ['T', 'AL', 'joint', [], 'forming'] },
      { validFrom: FEB(), validTo: MAR(), values: ['T', 'AL', 'joint', [], 'operational'] },
    ]);
  });

  it('members from assignment to release; dissolution releases everyone', () => {
    const assigned = (staffId: string, at: string, override: object | null = null) =>
      fact('MemberAssigned', at, { staffId, teamRole: 'psychologist', agency: 'prison', override });
    expect(
      membershipTimeline([
        formed,
        assigned('a', JAN()),
        assigned('b', FEB(), { overrideId: 'o' }),
        fact('MemberReleased', FEB(), { staffId: 'a' }),
        fact('TeamDissolved', MAR(), {}),
      ]),
    ).toEqual([
      { validFrom: JAN(), validTo: FEB(), values: ['a', 'psychologist', 'prison', false] },
      { validFrom: FEB(), validTo: MAR(), values: ['b', 'psychologist', 'prison', true] },
    ]);
  });

  it('a lapse lasts until the member leaves the team', () => {
    expect(
      lapseTimeline([
        fact('MemberQualificationLapsed', FEB(), { staffId: 'a', certificationId: 'c1', cause: 'expired' }),
        fact('MemberQualificationLapsed', FEB(), { staffId: 'b', certificationId: 'c2', cause: 'revoked' }),
        fact('MemberReleased', MAR(), { staffId: 'a' }),
      ]),
    ).toEqual([
      { validFrom: FEB(), validTo: MAR(), values: ['a', 'c1', 'expired'] },
      { validFrom: FEB(), validTo: null, values: ['b', 'c2', 'revoked'] },
    ]);
  });

  function JAN() {
    return '2025-01-01T00:00:00.000Z';
  }
  function FEB() {
    return '2025-02-01T00:00:00.000Z';
  }
  function MAR() {
    return '2025-03-01T00:00:00.000Z';
  }
  function fact(type: string, occurredAt: string, data: Record<string, unknown>): Fact {
    return { eventId: `${type}-${occurredAt}`, type, occurredAt, recordedAt: occurredAt, data };
  }
});
