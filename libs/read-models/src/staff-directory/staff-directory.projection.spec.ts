import { describe, expect, it } from '@jest/globals';
import {
  ERASED_FIELDS,
  evolveDirectoryRow,
  unsealFields,
  type DirectoryRow,
} from './staff-directory.rows.js';

const at = (occurredAt: string) => ({ occurredAt, correlationId: 'c', causationId: null }) as never;
const event = (type: string, data: object, occurredAt = '2024-01-01T00:00:00.000Z') => ({
  type,
  data: { staffId: 's1', ...data },
  metadata: at(occurredAt),
});

describe('staff directory rows', () => {
  const ana = { name: 'Ana Hoxha', email: 'ana@example.org', employeeRef: 'AL-1' };

  it('follows a member from registration through transfer, role change and departure', () => {
    const events = [
      event('StaffMemberRegistered', {
        agency: 'probation',
        jurisdiction: 'AL',
        institution: 'Tirana',
        role: 'probation-officer',
      }),
      event('StaffMemberTransferred', { agency: 'prison', jurisdiction: 'AL', institution: 'Fushë-Krujë' }),
      event('StaffMemberRoleChanged', { role: 'psychologist', previousRole: 'probation-officer' }),
      event('StaffMemberLeft', {}, '2025-06-01T00:00:00.000Z'),
    ];
    let row: DirectoryRow | undefined;
    for (const e of events)
      row = evolveDirectoryRow(row, e, e.type === 'StaffMemberRegistered' ? ana : undefined);
    expect(row).toEqual({
      staffId: 's1',
      agency: 'prison',
      jurisdiction: 'AL',
      institution: 'Fushë-Krujë',
      role: 'psychologist',
      status: 'left',
      ...ana,
      registeredAt: '2024-01-01T00:00:00.000Z',
      leftAt: '2025-06-01T00:00:00.000Z',
    });
  });

  it('replaces every personal field with "erased" on erasure, and ignores events before registration', () => {
    const registered = evolveDirectoryRow(
      undefined,
      event('StaffMemberRegistered', {
        agency: 'prison',
        jurisdiction: 'RS',
        institution: 'X',
        role: 'trainer',
      }),
      ana,
    );
    expect(evolveDirectoryRow(registered, event('StaffPersonalDataErased', {}))).toMatchObject(ERASED_FIELDS);
    expect(evolveDirectoryRow(undefined, event('StaffMemberLeft', {}))).toBeUndefined();
  });

  it('unseals the three fields as one value, and shows "erased" when the key is gone', async () => {
    const unseal = async (_id: string, field: string) =>
      field === 'personal-data' ? JSON.stringify(ana) : null;
    expect(await unsealFields(unseal, 's1', { ciphertext: 'x' })).toEqual(ana);
    expect(await unsealFields(async () => null, 's1', { ciphertext: 'x' })).toEqual(ERASED_FIELDS);
    expect(await unsealFields(undefined, 's1', { ciphertext: 'x' })).toEqual(ERASED_FIELDS);
    expect(await unsealFields(async () => 'not json', 's1', {})).toEqual(ERASED_FIELDS);
  });
});
