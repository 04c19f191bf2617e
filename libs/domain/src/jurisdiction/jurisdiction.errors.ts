import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { Instant } from '../shared/time.js';

/** Refusals of a jurisdiction's adoption and additions, by stable code. */
export const jurisdictionErrors = {
  invalidCode: (code: string) =>
    new DomainValidationError(
      'JURISDICTION.INVALID_CODE',
      `"${code}" is not a jurisdiction code (capital letters and digits, e.g. AL).`,
      { jurisdiction: code },
    ),
  adoptionOutOfOrder: (jurisdiction: string, effectiveFrom: Instant, latest: Instant) =>
    new DomainConflictError(
      'JURISDICTION.ADOPTION_OUT_OF_ORDER',
      `${jurisdiction} already adopted a framework from ${latest}; a new adoption must take effect after that.`,
      { jurisdiction, effectiveFrom, latest },
    ),
  olderVersionWithoutReason: (jurisdiction: string, version: string, inForce: string) =>
    new DomainValidationError(
      'JURISDICTION.OLDER_VERSION_WITHOUT_REASON',
      `Framework ${version} was published before ${inForce}, the version ${jurisdiction} adopted last: adopting it may drop requirements, so please give a reason.`,
      { jurisdiction, version, inForce },
    ),
  backdatedRequirementWithoutReason: (jurisdiction: string, effectiveFrom: Instant, now: Instant) =>
    new DomainValidationError(
      'JURISDICTION.BACKDATED_REQUIREMENT_WITHOUT_REASON',
      `This requirement would take effect on ${effectiveFrom}, more than 24 hours ago: please give a reason for applying it retroactively.`,
      { jurisdiction, effectiveFrom, now },
    ),
  notStricter: (jurisdiction: string, role: string, competency: string, inForce: string) =>
    new DomainRuleError(
      'JURISDICTION.REQUIREMENT_NOT_STRICTER',
      `${jurisdiction} already requires "${competency}" at level ${inForce} for "${role}": an addition may raise a requirement, never lower or repeat it.`,
      { jurisdiction, role, competency, inForce },
    ),
  systemOnly: (jurisdiction: string) =>
    new DomainForbiddenError(
      'JURISDICTION.SYSTEM_ONLY',
      'Only the certification schedule records that a rule took effect.',
      { jurisdiction },
    ),
  ruleNotFound: (jurisdiction: string, ruleEventId: string) =>
    new DomainNotFoundError(
      'JURISDICTION.RULE_NOT_FOUND',
      `${jurisdiction} recorded no adoption or requirement with event id ${ruleEventId}.`,
      { jurisdiction, ruleEventId },
    ),
  ruleNotInEffect: (jurisdiction: string, ruleEventId: string, effectiveFrom: Instant) =>
    new DomainRuleError(
      'JURISDICTION.RULE_NOT_IN_EFFECT',
      `This rule takes effect on ${effectiveFrom}, not before.`,
      {
        jurisdiction,
        ruleEventId,
        effectiveFrom,
      },
    ),
};
