import { describe, it } from '@jest/globals';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import {
  employeeRefDecider,
  type EmployeeRefCommand,
  type EmployeeRefEvent,
} from './employee-ref.decider.js';

describe('employeeRef reservation', () => {
  const spec = deciderSpec(employeeRefDecider, () => testContext());

  it('reserves a free reference', () => {
    spec
      .given([])
      .when(reserve('s-1'))
      .then([reserved('s-1')]);
  });

  it('refuses a reference another member holds in the jurisdiction', () => {
    spec
      .given([reserved('s-1')])
      .when(reserve('s-2'))
      .then('STAFF.EMPLOYEE_REF_TAKEN');
  });

  it('accepts a retry by the same member', () => {
    spec
      .given([reserved('s-1')])
      .when(reserve('s-1'))
      .then([]);
  });

  it('can be reserved again once released by its holder', () => {
    const release: EmployeeRefCommand = { type: 'ReleaseEmployeeRef', data: { ...reserve('s-1').data } };
    const released: EmployeeRefEvent = { type: 'EmployeeRefReleased', data: { ...reserve('s-1').data } };
    spec
      .given([reserved('s-1')])
      .when(release)
      .then([released]);
    spec
      .given([reserved('s-1'), released])
      .when(reserve('s-2'))
      .then([reserved('s-2')]);
  });

  const reserve = (staffId: string) =>
    ({ type: 'ReserveEmployeeRef', data: { jurisdiction: 'AL', refKey: 'hmac-abc', staffId } }) as const;
  const reserved = (staffId: string): EmployeeRefEvent => ({
    type: 'EmployeeRefReserved',
    data: { jurisdiction: 'AL', refKey: 'hmac-abc', staffId },
  });
});
