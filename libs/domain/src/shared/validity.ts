import type { Level } from './levels.js';
import { addDays, addMonths, type Instant } from './time.js';

/** How long a certification at one level of a competency lasts, and when recertification opens. */
export interface LevelPolicy {
  readonly validityMonths: number;
  readonly recertificationWindowDays: number;
}

/** Per level, for the levels a competency defines. */
export type CompetencyLevels = Partial<Record<Level, LevelPolicy>>;

export interface Validity {
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly windowOpensAt: Instant;
}

/** `validUntil` = `validFrom` + the level's validity in calendar months: never typed in. */
export function computeValidUntil(validFrom: Instant, validityMonths: number): Instant {
  return addMonths(validFrom, validityMonths);
}

/** The validity period and the opening of the recertification window (`validUntil` − window days). */
export function computeValidity(validFrom: Instant, policy: LevelPolicy): Validity {
  const validUntil = computeValidUntil(validFrom, policy.validityMonths);
  return { validFrom, validUntil, windowOpensAt: addDays(validUntil, -policy.recertificationWindowDays) };
}
