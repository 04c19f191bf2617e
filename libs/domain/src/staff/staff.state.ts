import type { Level } from '../shared/levels.js';
import type { CertificationView } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';
import type { Evidence, Placement } from './staff.events.js';

/** One validity period: the award, then each renewal. A voided renewal gives back the period before. */
export interface ValidityPeriod {
  readonly eventId: string | null;
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly windowOpensAt: Instant;
  readonly evidence: Evidence;
  readonly frameworkVersion: string;
  readonly voided: boolean;
  readonly windowOpened: boolean;
  readonly expiryWarned: boolean;
  readonly expired: boolean;
}

export interface Certification {
  readonly certificationId: string;
  readonly competency: string;
  readonly level: Level;
  readonly status: 'active' | 'suspended' | 'revoked';
  /** The award itself was voided: the certification never counted. */
  readonly voided: boolean;
  readonly periods: readonly ValidityPeriod[];
}

export interface StaffRecord extends Placement {
  readonly staffId: string;
  readonly role: string;
  readonly personalDataErased: boolean;
  readonly certifications: Readonly<Record<string, Certification>>;
}

export type StaffState =
  | { readonly status: 'unregistered' }
  | ({ readonly status: 'active' } & StaffRecord)
  | ({ readonly status: 'left' } & StaffRecord);

/** The period in force: the latest one not voided. */
export function currentPeriod(certification: Certification): ValidityPeriod | undefined {
  return certification.periods.filter((period) => !period.voided).at(-1);
}

/** The member's certifications as rules read them (team assignment, trainer accreditation, read models). */
export function certificationsOf(state: StaffState): CertificationView[] {
  if (state.status === 'unregistered') return [];
  return Object.values(state.certifications).flatMap((certification) => {
    const period = currentPeriod(certification);
    if (!period) return [];
    const { certificationId, competency, level } = certification;
    const status = certification.voided ? 'voided' : certification.status;
    return [
      {
        certificationId,
        competency,
        level,
        validFrom: period.validFrom,
        validUntil: period.validUntil,
        status,
      },
    ];
  });
}

/** What a team or a session needs to know of a member, read from the staff stream at one revision. */
export interface StaffSnapshot extends Placement {
  readonly staffId: string;
  readonly status: 'active' | 'left';
  readonly role: string;
  readonly certifications: readonly CertificationView[];
}

export function staffSnapshot(state: StaffState): StaffSnapshot | undefined {
  if (state.status === 'unregistered') return undefined;
  const { staffId, status, agency, jurisdiction, institution, role } = state;
  return {
    staffId,
    status,
    agency,
    jurisdiction,
    institution,
    role,
    certifications: certificationsOf(state),
  };
}
