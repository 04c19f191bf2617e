import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { teamListChangeOf } from './team-list.projection.js';

describe('team list changes', () => {
  it('formation gives the row; members count up and down; lead, operational and dissolved set a column', () => {
    expect(
      teamListChangeOf(
        recorded('TeamFormed', {
          teamId: 't1',
          name: 'Case team',
          jurisdiction: 'AL',
          institutions: ['Prison Tirana'],
          kind: 'joint',
          caseRef: 'C-1',
          requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
        }),
      ),
    ).toEqual({
      kind: 'formed',
      values: [
        't1',
        'Case team',
        'AL',
        '["Prison Tirana"]',
        'joint',
        'C-1',
        '[{"role":"psychologist","minCount":1}]',
        AT,
      ],
    });
    expect(teamListChangeOf(recorded('MemberAssigned', { teamId: 't1', staffId: 's1' }))).toEqual({
      kind: 'members',
      teamId: 't1',
      delta: 1,
    });
    expect(teamListChangeOf(recorded('MemberReleased', { teamId: 't1', staffId: 's1' }))).toEqual({
      kind: 'members',
      teamId: 't1',
      delta: -1,
    });
    expect(teamListChangeOf(recorded('TeamLeadDesignated', { teamId: 't1', staffId: 's1' }))).toEqual({
      kind: 'set',
      teamId: 't1',
      column: 'lead_staff_id',
      value: 's1',
    });
    expect(teamListChangeOf(recorded('TeamDissolved', { teamId: 't1', reason: 'closed' }))).toMatchObject({
      column: 'status',
      value: 'dissolved',
    });
    expect(teamListChangeOf(recorded('MemberQualificationLapsed', { teamId: 't1' }))).toBeNull();
  });
});

const AT = '2025-01-01T00:00:00.000Z';
function recorded(type: string, data: object): RecordedEvent {
  return {
    eventId: '00000000-0000-4000-8000-000000000001',
    type,
    data,
    metadata: { correlationId: 'c', causationId: null, actor: null, occurredAt: AT, schemaVersion: 1 },
    stream: 'team-t1',
    revision: 0,
    position: '0',
    recordedAt: AT,
    hash: 'h',
  };
}
