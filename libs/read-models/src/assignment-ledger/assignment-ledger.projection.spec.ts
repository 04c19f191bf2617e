import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { ledgerEntryOf, teamOf } from './assignment-ledger.rows.js';

describe('assignment ledger lines', () => {
  it('an assignment keeps who, when, which role, the qualification snapshot and any override', () => {
    const entry = ledgerEntryOf(
      recorded('MemberAssigned', {
        teamId: 't1',
        staffId: 's1',
        teamRole: 'psychologist',
        agency: 'prison',
        assignedBy: 'm1',
        qualification: [QUALIFICATION],
        requirementsVersion: 'v1+AL.0',
        override: {
          overrideId: 'o1',
          justification: 'urgent',
          requestedBy: 'm1',
          approvedBy: 'm2',
          violations: [],
        },
      }),
    );
    expect(entry).toMatchObject({
      kind: 'assigned',
      teamId: 't1',
      staffId: 's1',
      teamRole: 'psychologist',
      actedBy: 'm1',
      requestedBy: 'm1',
      approvedBy: 'm2',
      justification: 'urgent',
      qualification: [QUALIFICATION],
      validFrom: OCCURRED,
      recordedAt: RECORDED,
      reason: 'late',
    });
  });

  it('an approval names its approver; whom it concerned comes from the request', () => {
    const entry = ledgerEntryOf(
      recorded('AssignmentOverrideApproved', { teamId: 't1', overrideId: 'o1', approvedBy: 'm2' }),
    );
    expect(entry).toMatchObject({
      kind: 'override-approved',
      actedBy: 'm2',
      overrideId: 'o1',
      staffId: null,
    });
  });

  it('a release is a line; team formation only gives the jurisdiction; other events are not lines', () => {
    expect(
      ledgerEntryOf(recorded('MemberReleased', { teamId: 't1', staffId: 's1', reason: 'done' })),
    ).toMatchObject({
      kind: 'released',
      reason: 'done',
    });
    const formed = recorded('TeamFormed', { teamId: 't1', jurisdiction: 'AL' });
    expect(ledgerEntryOf(formed)).toBeNull();
    expect(teamOf(formed)).toEqual({ teamId: 't1', jurisdiction: 'AL' });
    expect(ledgerEntryOf(recorded('TeamDeclaredOperational', { teamId: 't1' }))).toBeNull();
  });

  const OCCURRED = '2025-01-10T10:00:00.000Z';
  const RECORDED = '2025-02-01T09:00:00.000Z';
  const QUALIFICATION = {
    role: 'psychologist',
    competency: 'vep-risk-assessment',
    requiredLevel: 'specialised',
    met: true,
    certificationId: 'c1',
    level: 'expert',
    validUntil: '2027-01-01T00:00:00.000Z',
  };
  function recorded(type: string, data: object): RecordedEvent {
    return {
      eventId: '00000000-0000-4000-8000-000000000001',
      type,
      data,
      metadata: {
        correlationId: 'corr',
        causationId: null,
        actor: { sub: 'm1', roles: ['manager'], jurisdictions: ['AL'] },
        occurredAt: OCCURRED,
        schemaVersion: 1,
        reason: 'late',
      },
      stream: 'team-t1',
      revision: 1,
      position: '1',
      recordedAt: RECORDED,
      hash: 'h',
    };
  }
});
