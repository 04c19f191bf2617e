import { describe, it } from '@jest/globals';
import { deciderSpec, NOW, recorded, testContext } from '../testing/decider-spec.js';
import {
  ORPHANED_RESERVATION_REASON,
  employeeRefDecider,
  type EmployeeRefCommand,
  type EmployeeRefContext,
  type EmployeeRefEvent,
} from './employee-ref.decider.js';

describe('employeeRef reservation', () => {
  const spec = deciderSpec(employeeRefDecider, (): EmployeeRefContext => testContext());

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

  describe('an orphan: a reservation whose staff stream was never created', () => {
    const HOUR_AGO = '2025-03-10T08:00:00.000Z';
    const orphan = { type: 'ReleaseOrphanedEmployeeRef', data: { ...reserve('s-1').data } } as const;
    const heldSinceAnHour = recorded(reserved('s-1'), 'e-1', HOUR_AGO);
    const absent = { holderRegistered: false, graceSeconds: 600 };

    it('is released past the grace period, with the reason in the envelope', () => {
      spec
        .given([heldSinceAnHour])
        .when(orphan, absent)
        .then([
          {
            type: 'EmployeeRefReleased',
            data: { ...reserve('s-1').data },
            metadata: { occurredAt: NOW, reason: ORPHANED_RESERVATION_REASON },
          },
        ]);
    });

    it('is never released while its holder is registered, or when that is not known', () => {
      spec.given([heldSinceAnHour]).when(orphan, { holderRegistered: true, graceSeconds: 600 }).then([]);
      spec.given([heldSinceAnHour]).when(orphan, { graceSeconds: 600 }).then([]);
    });

    it('is not one within the grace period (a registration may still be under way)', () => {
      spec.given([heldSinceAnHour]).when(orphan, { holderRegistered: false, graceSeconds: 3601 }).then([]);
      spec
        .given([heldSinceAnHour])
        .when(orphan, { holderRegistered: false, graceSeconds: 3600 })
        .then([{ type: 'EmployeeRefReleased', data: { ...reserve('s-1').data } }]);
    });

    it('releases nothing that is free or held by another member', () => {
      spec.given([]).when(orphan, absent).then([]);
      spec
        .given([recorded(reserved('s-2'), 'e-2', HOUR_AGO)])
        .when(orphan, absent)
        .then([]);
    });
  });

  function reserve(staffId: string) {
    return {
      type: 'ReserveEmployeeRef',
      data: { jurisdiction: 'AL', refKey: 'hmac-abc', staffId },
    } as const;
  }
  function reserved(staffId: string): EmployeeRefEvent {
    return { type: 'EmployeeRefReserved', data: { jurisdiction: 'AL', refKey: 'hmac-abc', staffId } };
  }
});
