import { describe, expect, it } from '@jest/globals';
import { ACCESS_LOG_MAX_IDS, ReturnedRecords } from './returned-records.js';

describe('ReturnedRecords', () => {
  it('finds staff and team ids at any depth, in JSON answers and exported rows, each once', () => {
    const returned = new ReturnedRecords()
      .note({
        teamId: 't-1',
        team: { members: [{ staffId: 's-1', name: 'Ana' }, { staffId: 's-2' }], leadStaffId: 's-9' },
      })
      .note({ staff_id: 's-1', team_id: 't-2', name: 'Ana' });
    expect(returned.summary()).toEqual({ count: 4, staffIds: ['s-1', 's-2'], teamIds: ['t-1', 't-2'] });
  });

  it(`lists at most ${ACCESS_LOG_MAX_IDS} ids of each kind and counts them all`, () => {
    const returned = new ReturnedRecords();
    for (let i = 0; i < 250; i += 1) returned.note({ staffId: `s-${i}` });
    const summary = returned.summary();
    expect(summary.count).toBe(250);
    expect(summary.staffIds).toHaveLength(ACCESS_LOG_MAX_IDS);
    expect(summary.staffIds[0]).toBe('s-0');
  });
});
