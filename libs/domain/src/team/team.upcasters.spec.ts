import { describe, expect, it } from '@jest/globals';
import { CURRENT_SCHEMA_VERSIONS, EVENT_EVOLUTION, schemaVersionOf } from '../evolution/event-evolution.js';
import { memberAssignedV1ToV2, type MemberAssignedV1Data } from './team.upcasters.js';

describe('MemberAssigned v1 → v2', () => {
  it('takes assignedAt from the envelope’s occurredAt, the business time v1 readers used, and keeps the rest', () => {
    const upcast = memberAssignedV1ToV2.upcast({ data: v1, metadata: { occurredAt: AT } });

    expect(upcast.data).toEqual({ ...v1, assignedAt: AT });
  });

  it('is the one step to the current version, which writers stamp', () => {
    expect(CURRENT_SCHEMA_VERSIONS.MemberAssigned).toBe(2);
    expect(schemaVersionOf('MemberAssigned')).toBe(2);
    expect(schemaVersionOf('MemberReleased')).toBe(1);
    expect(EVENT_EVOLUTION.upcasters).toContain(memberAssignedV1ToV2);
  });

  const AT = '2025-02-01T08:30:00.000Z';
  const v1: MemberAssignedV1Data = {
    teamId: 't-1',
    staffId: 's-1',
    teamRole: 'psychologist',
    agency: 'prison',
    assignedBy: 'alice',
    qualification: [],
    requirementsVersion: 'v1+AL.0',
    override: null,
  };
});
