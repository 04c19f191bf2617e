import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../staff-transcript/timeline-segments.js';
import { teamMembershipTimeline } from './team-membership.timeline.js';

let n = 0;
const fact = (type: string, occurredAt: string, data: object = {}): Fact => ({
  eventId: `e${++n}`,
  type,
  occurredAt,
  recordedAt: occurredAt,
  data: { teamId: 't1', ...data } as Record<string, unknown>,
});

describe('team membership timeline (who serves on a team, for "MDT members first")', () => {
  it('follows assignments and releases, and ends with the team', () => {
    const segments = teamMembershipTimeline.timeline([
      fact('TeamFormed', '2024-01-01T00:00:00.000Z'),
      fact('MemberAssigned', '2024-01-02T00:00:00.000Z', { staffId: 'b' }),
      fact('MemberAssigned', '2024-01-03T00:00:00.000Z', { staffId: 'a' }),
      fact('MemberReleased', '2024-02-01T00:00:00.000Z', { staffId: 'b' }),
      fact('TeamDissolved', '2024-03-01T00:00:00.000Z'),
    ]);
    expect(
      segments.map((s) => [s.validFrom.slice(0, 10), s.validTo?.slice(0, 10) ?? null, s.state.members]),
    ).toEqual([
      ['2024-01-01', '2024-01-02', []],
      ['2024-01-02', '2024-01-03', ['b']],
      ['2024-01-03', '2024-02-01', ['a', 'b']],
      ['2024-02-01', '2024-03-01', ['a']],
    ]);
  });
});
