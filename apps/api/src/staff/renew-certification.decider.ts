import {
  assertActsIn,
  certificationErrors,
  DomainRuleError,
  staffDecider,
  staffErrors,
  type AwardCertification,
  type CommandMetadata,
  type Evidence,
  type StaffCommand,
  type StaffContext,
  type StaffEvent,
  type StaffState,
} from '@cadre/domain';
import type { CommandDecider } from '@cadre/command-handling';

/**
 * `POST …/certifications/{id}/renew`: a new external award of that certification's competency
 * and level. The domain renews on any such award while the certification is valid (or in its
 * recertification window); this command only pins which certification the caller means, and
 * refuses what would otherwise become a different certification (it expired: record a new one).
 */
export interface RenewCertification {
  readonly type: 'RenewCertification';
  readonly data: {
    readonly staffId: string;
    readonly certificationId: string;
    readonly validFrom: string;
    readonly evidence: Extract<Evidence, { kind: 'external' }>;
  };
  readonly metadata?: CommandMetadata;
}

export type StaffApiCommand = StaffCommand | RenewCertification;

function decideRenewal(command: RenewCertification, state: StaffState, context: StaffContext): StaffEvent[] {
  const { staffId, certificationId, validFrom, evidence } = command.data;
  if (state.status === 'unregistered') throw staffErrors.notFound(staffId);
  assertActsIn(context.actor, [state.jurisdiction]);
  const certification = state.certifications[certificationId];
  if (!certification || certification.voided) throw certificationErrors.notFound(certificationId);
  if (certification.status === 'revoked') throw certificationErrors.revoked(certificationId);
  const award: AwardCertification = {
    type: 'AwardCertification',
    data: { staffId, competency: certification.competency, level: certification.level, validFrom, evidence },
    metadata: command.metadata,
  };
  const events = staffDecider.decide(award, state, context);
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

/** The staff decider, plus renewal of a named certification. */
export const staffApiDecider: CommandDecider<StaffApiCommand, StaffEvent, StaffState, StaffContext> = {
  decide: (command, state, context) =>
    command.type === 'RenewCertification'
      ? decideRenewal(command, state, context)
      : staffDecider.decide(command, state, context),
  evolve: staffDecider.evolve,
  initialState: staffDecider.initialState,
};
