import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { projectionDatabase } from '../../../../test/support/projection-database.js';
import { ASSIGNMENT_LEDGER_SCHEMA, assignmentLedgerProjection } from './assignment-ledger.projection.js';

describe('assignment ledger projection on PostgreSQL', () => {
  const db = projectionDatabase('ledger');
  const tx = db.tx(ASSIGNMENT_LEDGER_SCHEMA);
  const projection = assignmentLedgerProjection();

  beforeAll(async () => {
    await projection.createTables(tx, ASSIGNMENT_LEDGER_SCHEMA);
  });

  it('writes a batch in one go, fills an approval from its request, and is idempotent by event id', async () => {
    const batch = [
      event('TeamFormed', { teamId: 't1', jurisdiction: 'ME' }),
      event('AssignmentOverrideRequested', {
        teamId: 't1',
        overrideId: 'o1',
        staffId: 's1',
        teamRole: 'psychologist',
        justification: 'urgent',
        requestedBy: 'm1',
        violations: [{ competency: 'vep' }],
        requirementsVersion: 'v1+ME.0',
      }),
      event('AssignmentOverrideApproved', { teamId: 't1', overrideId: 'o1', approvedBy: 'm2' }),
    ];
    await projection.apply(batch, tx);
    await projection.apply(batch.slice(1), tx);
    const { rows } = await db.client.query(
      `SELECT kind, jurisdiction, staff_id, team_role, acted_by, requested_by, violations
       FROM ${ASSIGNMENT_LEDGER_SCHEMA}.entries ORDER BY valid_from, kind DESC`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'override-requested',
        jurisdiction: 'ME',
        staff_id: 's1',
        acted_by: 'm1',
      }),
      expect.objectContaining({
        kind: 'override-approved',
        staff_id: 's1',
        team_role: 'psychologist',
        acted_by: 'm2',
        requested_by: 'm1',
        violations: [{ competency: 'vep' }],
      }),
    ]);
  });

  it('fills a rejection from a request applied in an earlier batch', async () => {
    await projection.apply(
      [
        event('TeamFormed', { teamId: 't2', jurisdiction: 'RS' }),
        event('AssignmentOverrideRequested', {
          teamId: 't2',
          overrideId: 'o2',
          staffId: 's2',
          teamRole: 'imam',
          justification: 'only one available',
          requestedBy: 'm3',
          violations: [{ competency: 'risk' }],
          requirementsVersion: 'v1+RS.0',
        }),
      ],
      tx,
    );
    await projection.apply(
      [
        event('AssignmentOverrideRejected', {
          teamId: 't2',
          overrideId: 'o2',
          rejectedBy: 'm4',
          reason: 'no',
        }),
      ],
      tx,
    );
    const { rows } = await db.client.query(
      `SELECT staff_id, team_role, acted_by, requested_by, justification FROM ${ASSIGNMENT_LEDGER_SCHEMA}.entries
       WHERE kind = 'override-rejected'`,
    );
    expect(rows).toEqual([
      {
        staff_id: 's2',
        team_role: 'imam',
        acted_by: 'm4',
        requested_by: 'm3',
        justification: 'only one available',
      },
    ]);
  });

  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  function event(type: string, data: object): RecordedEvent {
    clock += 1000;
    const at = new Date(clock).toISOString();
    return {
      eventId: randomUUID(),
      type,
      data,
      metadata: { correlationId: 'c', causationId: null, actor: null, occurredAt: at, schemaVersion: 1 },
      stream: 'team-t1',
      revision: 0,
      position: '0',
      recordedAt: at,
      hash: 'h',
    };
  }
});
