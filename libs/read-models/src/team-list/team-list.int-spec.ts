import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { recorded } from '../../../../test/read-side/read-side-events.js';
import { projectionDatabase } from '../../../../test/support/projection-database.js';
import { teamListProjection } from './team-list.projection.js';

describe('team list projection on PostgreSQL', () => {
  const db = projectionDatabase('team_list');
  const projection = teamListProjection();

  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const formed = (teamId: string): RecordedEvent =>
    event('TeamFormed', {
      teamId,
      name: `Team ${teamId}`,
      jurisdiction: 'MK',
      institutions: ['Idrizovo'],
      kind: 'mdt',
      caseRef: `case-${teamId}`,
      requiredDisciplines: ['psychologist'],
    });
  // Two teams; the lead changes twice and the status twice within what one batch may hold.
  const events = [
    formed('t1'),
    formed('t2'),
    event('MemberAssigned', { teamId: 't1', staffId: 's1' }),
    event('MemberAssigned', { teamId: 't1', staffId: 's2' }),
    event('TeamLeadDesignated', { teamId: 't1', staffId: 's1' }),
    event('MemberAssigned', { teamId: 't2', staffId: 's3' }),
    event('TeamLeadDesignated', { teamId: 't1', staffId: 's2' }),
    event('TeamDeclaredOperational', { teamId: 't1' }),
    event('MemberReleased', { teamId: 't1', staffId: 's1' }),
    event('TeamDeclaredOperational', { teamId: 't2' }),
    event('TeamDissolved', { teamId: 't2' }),
  ];

  async function rowsAfter(schema: string, size: number): Promise<unknown[]> {
    const tx = db.tx(schema);
    await projection.createTables(tx, schema);
    for (let i = 0; i < events.length; i += size) await projection.apply(events.slice(i, i + size), tx);
    const { rows } = await db.client.query(
      `SELECT team_id, status, member_count, lead_staff_id, institutions FROM ${schema}.teams ORDER BY team_id`,
    );
    return rows;
  }

  it('one batch, and batches of every size, give each team its last lead, status and member count', async () => {
    const whole = await rowsAfter('tl_whole', events.length);
    expect(whole).toEqual([
      {
        team_id: 't1',
        status: 'operational',
        member_count: 1,
        lead_staff_id: 's2',
        institutions: ['Idrizovo'],
      },
      {
        team_id: 't2',
        status: 'dissolved',
        member_count: 1,
        lead_staff_id: null,
        institutions: ['Idrizovo'],
      },
    ]);
    for (let size = 1; size < events.length; size += 1)
      expect(await rowsAfter(`tl_${size}`, size)).toEqual(whole);
  });

  function event(type: string, data: Record<string, unknown>): RecordedEvent {
    clock += 1000;
    return recorded(type, data, new Date(clock).toISOString());
  }
});
