import {
  staffMemberOf,
  standingAt,
  type Certification,
  type Evidence,
  type Level,
  type Instant,
  type Standing,
  type StaffState,
} from '@cadre/domain';
import type { StaffPersonalData } from '@cadre/command-handling';

/** One validity period as a client sees it; `eventId` is what `POST /v1/records/{eventId}/void` takes. */
export interface ValidityPeriodView {
  readonly eventId: string | null;
  readonly kind: 'award' | 'renewal';
  readonly validFrom: string;
  readonly validUntil: string;
  readonly windowOpensAt: string;
  readonly evidence: Evidence;
  readonly frameworkVersion: string;
}

export interface CertificationStateView {
  readonly certificationId: string;
  readonly competency: string;
  readonly level: Level;
  /** What was decided about it (suspension, revocation); kept for clients that read it. */
  readonly status: 'active' | 'suspended' | 'revoked';
  /**
   * How it stands by the clock at the time of the request (`standingAt`, the rule's own reading):
   * an `active` certification past its `validUntil` is `expired` even before CertificationExpired
   * is recorded.
   */
  readonly standing: Standing;
  /** The period in force (the latest not voided). */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly windowOpensAt: string;
  readonly periods: readonly ValidityPeriodView[];
}

export interface StaffView {
  readonly staffId: string;
  readonly status: 'active' | 'left';
  readonly agency: string;
  readonly jurisdiction: string;
  readonly institution: string;
  readonly role: string;
  /** `erased`: the person was forgotten; name, email and employeeRef are null for good. */
  readonly personalData: 'available' | 'erased';
  readonly name: string | null;
  readonly email: string | null;
  readonly employeeRef: string | null;
  /** Voided certifications and periods are left out: they never counted. */
  readonly certifications: readonly CertificationStateView[];
}

export function staffView(
  state: Extract<StaffState, { staffId: string }>,
  personal: StaffPersonalData | null,
  now: Instant,
): StaffView {
  return {
    ...staffMemberOf(state),
    personalData: personal ? 'available' : 'erased',
    name: personal?.name ?? null,
    email: personal?.email ?? null,
    employeeRef: personal?.employeeRef ?? null,
    certifications: Object.values(state.certifications).flatMap((c) => certificationView(c, now)),
  };
}

function certificationView(certification: Certification, now: Instant): CertificationStateView[] {
  const periods = certification.periods.flatMap((period, index) =>
    period.voided
      ? []
      : [
          {
            eventId: period.eventId,
            kind: index === 0 ? ('award' as const) : ('renewal' as const),
            validFrom: period.validFrom,
            validUntil: period.validUntil,
            windowOpensAt: period.windowOpensAt,
            evidence: period.evidence,
            frameworkVersion: period.frameworkVersion,
          },
        ],
  );
  const current = periods.at(-1);
  if (certification.voided || !current) return [];
  const { certificationId, competency, level, status } = certification;
  const { validFrom, validUntil, windowOpensAt } = current;
  const standing = standingAt({ certificationId, competency, level, status, validFrom, validUntil }, now);
  return [
    { certificationId, competency, level, status, standing, validFrom, validUntil, windowOpensAt, periods },
  ];
}
