import { assertActsIn } from '../shared/actor.js';
import { assertNever, eventFactory } from '../shared/decider.js';
import { requireText } from '../shared/validation.js';
import { certificationScheduleEvent } from './certification-schedule.decide.js';
import { decideAward } from './certification-award.decide.js';
import { decideRenewal } from './certification-renewal.decide.js';
import { decideVoidAssessmentAwards, decideVoidRecord } from './certification-void.decide.js';
import type { CertificationCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { certificationErrors, staffErrors } from './staff.errors.js';
import type { StaffEvent } from './staff.events.js';
import type { Certification, StaffState } from './staff.state.js';

export function decideCertification(
  command: CertificationCommand,
  state: StaffState,
  context: StaffContext,
): StaffEvent[] {
  if (state.status === 'unregistered') {
    throw staffErrors.notFound('staffId' in command.data ? command.data.staffId : '');
  }
  assertActsIn(context.actor, [state.jurisdiction]);
  const emit = eventFactory<StaffEvent>(command, context);
  const { staffId } = state;
  switch (command.type) {
    case 'AwardCertification':
      return decideAward(command, state, context);
    case 'RenewCertification':
      return decideRenewal(command, state, context);
    case 'SuspendCertification': {
      const certification = find(state, command.data.certificationId);
      if (certification.status === 'revoked')
        throw certificationErrors.revoked(certification.certificationId);
      if (certification.status === 'suspended')
        throw certificationErrors.alreadySuspended(certification.certificationId);
      const reason = requireText(command.data.reason, 'reason');
      return [
        emit('CertificationSuspended', { staffId, certificationId: certification.certificationId, reason }),
      ];
    }
    case 'ReinstateCertification': {
      const certification = find(state, command.data.certificationId);
      if (certification.status !== 'suspended')
        throw certificationErrors.notSuspended(certification.certificationId);
      const reason = command.data.reason?.trim() || null;
      return [
        emit('CertificationReinstated', { staffId, certificationId: certification.certificationId, reason }),
      ];
    }
    case 'RevokeCertification': {
      const certification = find(state, command.data.certificationId);
      if (certification.status === 'revoked')
        throw certificationErrors.revoked(certification.certificationId);
      const reason = requireText(command.data.reason, 'reason');
      return [
        emit('CertificationRevoked', { staffId, certificationId: certification.certificationId, reason }),
      ];
    }
    case 'OpenRecertificationWindow':
    case 'WarnCertificationExpiry':
    case 'ExpireCertification':
      return certificationScheduleEvent(
        command,
        state,
        find(state, command.data.certificationId),
        context.now,
      );
    case 'VoidRecord':
      return decideVoidRecord(command, state, context);
    case 'VoidAssessmentAwards':
      return decideVoidAssessmentAwards(command, state, context);
    default:
      return assertNever(command);
  }
}

/** A voided certification is, to every command, one that never existed. */
export function find(
  state: Extract<StaffState, { certifications: unknown }>,
  certificationId: string,
): Certification {
  const certification = state.certifications[certificationId];
  if (!certification || certification.voided) {
    throw certificationErrors.notFound(certificationId);
  }
  return certification;
}
