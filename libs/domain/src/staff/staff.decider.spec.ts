import { describe, it } from '@jest/globals';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import { coordinatorOf, sampleFramework } from '../testing/fixtures.js';
import type { StaffCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { staffDecider } from './staff.decider.js';
import type { StaffEvent } from './staff.events.js';

describe('staff member decider', () => {
  const spec = deciderSpec(staffDecider, (): StaffContext => ({
    ...testContext({ actor: coordinatorOf('AL') }),
    framework: sampleFramework(),
  }));

  it('registers a member with sealed personal data it does not read', () => {
    spec.given([]).when(register).then([registered]);
  });

  it('refuses a second registration, unsealed data, an unknown role or agency', () => {
    spec.given([registered]).when(register).then('STAFF.ALREADY_REGISTERED');
    spec
      .given([])
      .when({ ...register, data: { ...register.data, personalData: { ciphertext: '' } } })
      .then('STAFF.PERSONAL_DATA_NOT_SEALED');
    spec
      .given([])
      .when({ ...register, data: { ...register.data, role: 'chef' } })
      .then('STAFF.UNKNOWN_ROLE');
    spec
      .given([])
      .when({ ...register, data: { ...register.data, agency: 'army' } } as unknown as StaffCommand)
      .then('COMMAND.FIELD_NOT_ALLOWED');
  });

  it('lets only actors of the jurisdiction register', () => {
    spec
      .given([])
      .when(register, { actor: coordinatorOf('RS') })
      .then('ACTOR.OUTSIDE_JURISDICTION');
  });

  it('refuses a back-dated registration without a reason and keeps the reason given', () => {
    const lateness = { occurredAt: '2025-03-01T09:00:00.000Z' };
    spec
      .given([])
      .when({ ...register, metadata: lateness })
      .then('COMMAND.BACKDATED_WITHOUT_REASON');
    spec
      .given([])
      .when({ ...register, metadata: { ...lateness, reason: 'paper form received late' } })
      .then([{ ...registered, metadata: { ...lateness, reason: 'paper form received late' } }]);
  });

  it('accepts a back-dating within 24 hours without a reason, and refuses the future', () => {
    const recent = { occurredAt: '2025-03-09T10:00:00.000Z' };
    spec
      .given([])
      .when({ ...register, metadata: recent })
      .then([{ ...registered, metadata: recent }]);
    spec
      .given([])
      .when({ ...register, metadata: { occurredAt: '2025-03-11T00:00:00.000Z' } })
      .then('COMMAND.OCCURRED_IN_FUTURE');
  });

  it('changes the role to one the framework defines', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeStaffRole', data: { staffId: 's-1', role: 'manager' } })
      .then([
        {
          type: 'StaffMemberRoleChanged',
          data: { staffId: 's-1', role: 'manager', previousRole: 'psychologist' },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'ChangeStaffRole', data: { staffId: 's-1', role: 'psychologist' } })
      .then('STAFF.NOTHING_TO_CHANGE');
  });

  it('transfers a member to one place at a time', () => {
    spec
      .given([registered])
      .when({
        type: 'TransferStaffMember',
        data: { staffId: 's-1', institution: 'Probation Office Durrës', agency: 'probation' },
      })
      .then([
        {
          type: 'StaffMemberTransferred',
          data: {
            staffId: 's-1',
            agency: 'probation',
            jurisdiction: 'AL',
            institution: 'Probation Office Durrës',
            from: { agency: 'prison', jurisdiction: 'AL', institution: 'Peqin Prison' },
          },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'TransferStaffMember', data: { staffId: 's-1', institution: 'X', jurisdiction: 'RS' } })
      .then('ACTOR.OUTSIDE_JURISDICTION');
  });

  it('records a departure once and changes nothing after it', () => {
    spec.given([registered]).when(leave).then([left]);
    spec.given([registered, left]).when(leave).then([]);
    spec
      .given([registered, left])
      .when({ type: 'ChangeStaffRole', data: { staffId: 's-1', role: 'manager' } })
      .then('STAFF.MEMBER_LEFT');
  });

  it('erases personal data once, also after departure', () => {
    const erase: StaffCommand = { type: 'ErasePersonalData', data: { staffId: 's-1' } };
    const erased: StaffEvent = { type: 'StaffPersonalDataErased', data: { staffId: 's-1' } };
    spec.given([registered, left]).when(erase).then([erased]);
    spec.given([registered, erased]).when(erase).then([]);
    spec.given([]).when(erase).then('STAFF.NOT_FOUND');
  });

  const personalData = { ciphertext: 'b64…', iv: 'iv', tag: 'tag', keyId: 'dk-1' };
  const register = {
    type: 'RegisterStaffMember' as const,
    data: {
      staffId: 's-1',
      agency: 'prison' as const,
      jurisdiction: 'AL',
      institution: 'Peqin Prison',
      role: 'psychologist',
      personalData,
    },
  };
  const registered: StaffEvent = { type: 'StaffMemberRegistered', data: { ...register.data } };
  const leave: StaffCommand = { type: 'RecordStaffDeparture', data: { staffId: 's-1' } };
  const left: StaffEvent = { type: 'StaffMemberLeft', data: { staffId: 's-1' } };
});
