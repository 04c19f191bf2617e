import { DomainRuleError } from '../shared/domain-errors.js';
import { decideAward } from './certification-award.decide.js';
import type { AwardCertification, RenewCertification } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { certificationErrors } from './staff.errors.js';
import type { StaffEvent } from './staff.events.js';
import type { StaffState } from './staff.state.js';

/**
 * `RenewCertification`: the award of the certification's competency and level from `validFrom`,
 * which must renew that very certification (it is valid, or in its recertification window, then).
 */
export function decideRenewal(
  command: RenewCertification,
  state: Extract<StaffState, { status: 'active' | 'left' }>,
  context: StaffContext,
): StaffEvent[] {
  const { staffId, certificationId, validFrom, evidence } = command.data;
  const certification = state.certifications[certificationId];
  if (!certification || certification.voided) throw certificationErrors.notFound(certificationId);
  if (certification.status === 'revoked') throw certificationErrors.revoked(certificationId);
  const award: AwardCertification = {
    type: 'AwardCertification',
    data: { staffId, competency: certification.competency, level: certification.level, validFrom, evidence },
    ...(command.metadata ? { metadata: command.metadata } : {}),
  };
  const events = decideAward(award, state, context);
  const renewsIt = events.every(
    (event) => event.type === 'CertificationRenewed' && event.data.certificationId === certificationId,
  );
  if (!renewsIt) {
    throw new DomainRuleError(
      'CERTIFICATION.NOT_RENEWABLE',
      `This certification is not valid on ${validFrom}, so it cannot be renewed from then: record a new certification instead.`,
      { certificationId, validFrom },
    );
  }
  return events;
}
