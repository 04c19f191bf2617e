import { assertActsIn } from '../shared/actor.js';
import { checkVoid } from '../shared/corrections.js';
import { assertNever, eventFactory } from '../shared/decider.js';
import { requireText } from '../shared/validation.js';
import { certificationScheduleEvent } from './certification-schedule.decide.js';
import { decideAward } from './certification-award.decide.js';
import type { CertificationCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { certificationErrors, staffErrors } from './staff.errors.js';
import { staffStream, type StaffEvent } from './staff.events.js';
import type { Certification, StaffState } from './staff.state.js';

const VOIDABLE = ['CertificationAwarded', 'CertificationRenewed'];

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
    case 'VoidRecord': {
      const records = Object.values(state.certifications).flatMap((c) =>
        c.periods.flatMap((p, i) =>
          p.eventId === null
            ? []
            : [
                {
                  eventId: p.eventId,
                  type: VOIDABLE[i === 0 ? 0 : 1],
                  voided: i === 0 ? c.voided : p.voided || c.voided,
                },
              ],
        ),
      );
      const { targetType, reason } = checkVoid(command, records, VOIDABLE);
      const stream = staffStream(staffId);
      const voided = emit('RecordVoided', {
        stream,
        targetEventId: command.data.targetEventId,
        targetType,
        reason,
      });
      // The envelope keeps the reason of every corrective event.
      return [{ ...voided, metadata: { ...voided.metadata, reason } }];
    }
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
