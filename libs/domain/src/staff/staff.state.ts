import type { Level } from '../shared/levels.js';
import type { CertificationStatusChange, PersonHistory, PlacementSpan } from '../shared/person-history.js';
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
  /** Suspensions, reinstatements and revocations, each effective from its business time. */
  readonly statusChanges: readonly CertificationStatusChange[];
}

export interface StaffRecord extends Placement {
  readonly staffId: string;
  readonly role: string;
  readonly personalDataErased: boolean;
  readonly certifications: Readonly<Record<string, Certification>>;
  /** Registration, transfers and departure, in business time. */
  readonly placements: readonly PlacementSpan[];
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

/**
 * What a team or a session needs to know of a member, read from the staff stream at one revision:
 * where they stand now, and their whole history for questions about any instant.
 */
export interface StaffSnapshot extends Placement, PersonHistory {
  readonly staffId: string;
  readonly status: 'active' | 'left';
  readonly role: string;
  /** The current period of each certification, with its current status. */
  readonly certifications: readonly CertificationView[];
}

const STAFF_MEMBER_FIELDS = ['staffId', 'status', 'agency', 'jurisdiction', 'institution', 'role'] as const;

/** A registered member as they stand: who, active or left, placed where, in which role. */
export type StaffMember = Pick<StaffSnapshot, (typeof STAFF_MEMBER_FIELDS)[number]>;

/** The {@link StaffMember} fields of a record that has them (a member's state, a snapshot), in that order. */
export const staffMemberOf = (record: StaffMember): StaffMember =>
  Object.fromEntries(STAFF_MEMBER_FIELDS.map((field) => [field, record[field]])) as unknown as StaffMember;

export function staffSnapshot(state: StaffState): StaffSnapshot | undefined {
  if (state.status === 'unregistered') return undefined;
  return {
    ...staffMemberOf(state),
    certifications: certificationsOf(state),
    placements: state.placements,
    certificationHistory: Object.values(state.certifications).map((c) => ({
      certificationId: c.certificationId,
      competency: c.competency,
      level: c.level,
      voided: c.voided,
      periods: c.periods.map(({ validFrom, validUntil, voided }) => ({ validFrom, validUntil, voided })),
      statusChanges: c.statusChanges,
    })),
  };
}
