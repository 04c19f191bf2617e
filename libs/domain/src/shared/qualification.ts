import { levelRank, meetsLevel, type Level } from './levels.js';
import type { RoleRequirement } from './requirements.js';
import { toMillis, type Instant } from './time.js';

export type CertificationStatus = 'active' | 'suspended' | 'revoked' | 'voided';

/** A certification as rules read it: the staff decider's state gives these (`certificationsOf`). */
export interface CertificationView {
  readonly certificationId: string;
  readonly competency: string;
  readonly level: Level;
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly status: CertificationStatus;
}

/** How a certification stands at an instant, for a refusal a manager can act on. */
export type Standing = 'valid' | 'not-yet-valid' | 'expired' | 'suspended' | 'revoked' | 'voided';

export interface HeldCertification {
  readonly certificationId: string;
  readonly level: Level;
  readonly validUntil: Instant;
  readonly standing: Standing;
}

/** One unmet requirement, as a refusal lists it. */
export interface Violation {
  readonly role: string;
  readonly competency: string;
  readonly requiredLevel: Level;
  /** The best the person holds of that competency, if anything. */
  readonly held: HeldCertification | null;
}

export interface MetRequirement {
  readonly requirement: RoleRequirement;
  readonly met: true;
  readonly metBy: HeldCertification;
}

export interface UnmetRequirement {
  readonly requirement: RoleRequirement;
  readonly met: false;
  readonly held: HeldCertification | null;
}

export interface QualificationResult {
  readonly qualified: boolean;
  readonly results: readonly (MetRequirement | UnmetRequirement)[];
  readonly violations: readonly Violation[];
}

/**
 * Valid by the clock: active and `validFrom` ≤ `at` < `validUntil`. An expired certification stops
 * counting at `validUntil` whether or not `CertificationExpired` has been recorded.
 */
export function standingAt(certification: CertificationView, at: Instant): Standing {
  if (certification.status !== 'active') return certification.status;
  const t = toMillis(at);
  if (t < toMillis(certification.validFrom)) return 'not-yet-valid';
  if (t >= toMillis(certification.validUntil)) return 'expired';
  return 'valid';
}

export function isValidAt(certification: CertificationView, at: Instant): boolean {
  return standingAt(certification, at) === 'valid';
}

/**
 * Which requirements the certifications meet at `at`. A requirement is met by any valid
 * certification of its competency at or above its level. Used by team assignment and by the
 * "eligible staff" read model, so both answer alike.
 */
export function evaluateQualification(
  requirements: readonly RoleRequirement[],
  certifications: readonly CertificationView[],
  at: Instant,
): QualificationResult {
  const results = requirements.map((requirement): MetRequirement | UnmetRequirement => {
    const ofCompetency = certifications
      .filter((c) => c.competency === requirement.competency)
      .map((c) => held(c, at));
    const metBy = ofCompetency
      .filter((c) => c.standing === 'valid' && meetsLevel(c.level, requirement.minLevel))
      .sort((a, b) => toMillis(b.validUntil) - toMillis(a.validUntil))[0];
    if (metBy) return { requirement, met: true, metBy };
    return { requirement, met: false, held: best(ofCompetency) };
  });
  const violations = results
    .filter((result): result is UnmetRequirement => !result.met)
    .map(({ requirement, held }) => ({
      role: requirement.role,
      competency: requirement.competency,
      requiredLevel: requirement.minLevel,
      held,
    }));
  return { qualified: violations.length === 0, results, violations };
}

function held(certification: CertificationView, at: Instant): HeldCertification {
  const { certificationId, level, validUntil } = certification;
  return { certificationId, level, validUntil, standing: standingAt(certification, at) };
}

/** Valid ones first, then the highest level, then the latest expiry. */
function best(candidates: readonly HeldCertification[]): HeldCertification | null {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(b.standing === 'valid') - Number(a.standing === 'valid') ||
      levelRank(b.level) - levelRank(a.level) ||
      toMillis(b.validUntil) - toMillis(a.validUntil),
  );
  return ranked[0] ?? null;
}
