import { eventFactory } from '../shared/decider.js';
import { isLevel } from '../shared/levels.js';
import { frameworkErrors } from '../framework/framework.errors.js';
import { toInstant, toMillis } from '../shared/time.js';
import { requireContext } from '../shared/validation.js';
import { computeValidity } from '../shared/validity.js';
import type { AwardCertification } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { certificationErrors, staffErrors } from './staff.errors.js';
import type { Evidence, StaffEvent } from './staff.events.js';
import { currentPeriod, type StaffRecord, type StaffState } from './staff.state.js';

/** Clocks drift: a certificate starting this far ahead of `now` is still accepted. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Awards or renews. Passing again at the same level while that certification is valid renews it;
 * any other pass (a higher level, or after expiry) is a new certification. Evidence already
 * recorded is not awarded twice, so the award process can safely run again.
 */
export function decideAward(
  command: AwardCertification,
  state: Extract<StaffState, StaffRecord>,
  context: StaffContext,
): StaffEvent[] {
  const { staffId } = state;
  if (state.status === 'left') throw staffErrors.memberLeft(staffId);
  const evidence = checkEvidence(command.data.evidence);
  const { competency, level } = command.data;
  const validFrom = toInstant(toMillis(command.data.validFrom, 'validFrom'));
  if (toMillis(validFrom) - toMillis(context.now) > FUTURE_TOLERANCE_MS) {
    throw certificationErrors.validFromInFuture(validFrom);
  }
  const framework = requireContext(context.framework, 'framework');
  const defined = framework.competencies[competency];
  if (!defined) throw frameworkErrors.unknownCompetency(framework.version, competency);
  const policy = isLevel(level) ? defined.levels[level] : undefined;
  if (!policy) throw frameworkErrors.levelNotDefined(framework.version, competency, String(level));
  if (evidenceRecorded(state, evidence, competency)) return [];

  const emit = eventFactory<StaffEvent>(command, context);
  const validity = computeValidity(validFrom, policy);
  const frameworkVersion = framework.version;
  const renewable = Object.values(state.certifications).find((c) => {
    const period = currentPeriod(c);
    return (
      !c.voided &&
      c.status !== 'revoked' &&
      c.competency === competency &&
      c.level === level &&
      period !== undefined &&
      toMillis(period.validFrom) <= toMillis(validFrom) &&
      toMillis(validFrom) < toMillis(period.validUntil)
    );
  });
  if (renewable?.status === 'suspended') throw certificationErrors.suspended(renewable.certificationId);
  if (renewable) {
    const { certificationId } = renewable;
    return [
      emit('CertificationRenewed', { staffId, certificationId, ...validity, evidence, frameworkVersion }),
    ];
  }
  const certificationId = context.newId();
  return [
    emit('CertificationAwarded', {
      staffId,
      certificationId,
      competency,
      level,
      ...validity,
      evidence,
      frameworkVersion,
    }),
  ];
}

function checkEvidence(evidence: Evidence | undefined): Evidence {
  switch (evidence?.kind) {
    case 'session':
      if (evidence.sessionId?.trim() && evidence.assessmentEventId?.trim()) return evidence;
      break;
    case 'external':
      if (evidence.issuer?.trim() && evidence.reference?.trim()) return evidence;
      break;
  }
  throw certificationErrors.evidenceRequired();
}

/**
 * Whether this evidence already supports a certification of this competency: an award is made
 * once per evidence and competency (a session that grants several competencies awards each of
 * them on the one assessment), so the award process may run again.
 */
function evidenceRecorded(state: StaffRecord, evidence: Evidence, competency: string): boolean {
  const key = evidenceKey(evidence);
  return Object.values(state.certifications).some(
    (c) =>
      !c.voided &&
      c.competency === competency &&
      c.periods.some((p) => !p.voided && evidenceKey(p.evidence) === key),
  );
}

function evidenceKey(evidence: Evidence): string {
  return evidence.kind === 'session'
    ? `session\u0000${evidence.sessionId}\u0000${evidence.assessmentEventId}`
    : `external\u0000${evidence.issuer}\u0000${evidence.reference}`;
}
