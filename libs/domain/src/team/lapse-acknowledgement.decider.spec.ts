import { describe, it } from '@jest/globals';
import { deciderSpec, testContext } from '../testing/decider-spec.js';
import {
  lapseAcknowledgementDecider,
  type AcknowledgeLapse,
  type LapseAcknowledged,
  type LapseAcknowledgementContext,
} from './lapse-acknowledgement.decider.js';

describe('lapse acknowledgement decider', () => {
  const managerAL = { sub: 'mgr', roles: ['manager'], jurisdictions: ['AL'] };
  const lapse = { teamId: 't1', jurisdiction: 'AL', staffId: 's1', certificationId: 'c1' };
  const spec = deciderSpec(lapseAcknowledgementDecider, (): LapseAcknowledgementContext => ({
    ...testContext({ actor: managerAL }),
    lapse,
  }));
  const acknowledge: AcknowledgeLapse = {
    type: 'AcknowledgeLapse',
    data: { lapseId: 'l1', note: 'Retraining booked' },
  };
  const acknowledged: LapseAcknowledged = {
    type: 'LapseAcknowledged',
    data: {
      lapseId: 'l1',
      teamId: 't1',
      staffId: 's1',
      certificationId: 'c1',
      acknowledgedBy: 'mgr',
      note: 'Retraining booked',
    },
  };

  it('records the acknowledgement of a manager of the team jurisdiction, once', () => {
    spec.given([]).when(acknowledge).then([acknowledged]);
    spec.given([acknowledged]).when(acknowledge).then('LAPSE.ALREADY_ACKNOWLEDGED');
  });

  it('refuses an unknown lapse and a manager of another jurisdiction', () => {
    spec.given([]).when(acknowledge, { lapse: null }).then('LAPSE.NOT_FOUND');
    spec
      .given([])
      .when(acknowledge, { actor: { sub: 'x', roles: ['manager'], jurisdictions: ['RS'] } })
      .then('LAPSE.NOT_A_MANAGER');
  });
});
