import type { Agency } from './agencies.js';
import type { Level } from './levels.js';
import type { CertificationStatus, CertificationView } from './qualification.js';
import { toMillis, type Instant } from './time.js';

/**
 * Where a person stood from `from` on (business time): agency, jurisdiction, institution and
 * whether they were still in the service. The first span is the registration.
 */
export interface PlacementSpan {
  readonly from: Instant;
  readonly agency: Agency;
  readonly jurisdiction: string;
  readonly institution: string;
  readonly status: 'active' | 'left';
}

/** A suspension, a reinstatement or a revocation, effective from its business time `at`. */
export interface CertificationStatusChange {
  readonly at: Instant;
  readonly status: 'active' | 'suspended' | 'revoked';
}

/** One validity period of a certification: the award, then each renewal. */
export interface CertificationPeriod {
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  /** Taken back by `RecordVoided`: it never counted. */
  readonly voided: boolean;
}

/** A certification with every period it ever had and every change of status. */
export interface CertificationHistory {
  readonly certificationId: string;
  readonly competency: string;
  readonly level: Level;
  /** The award itself was voided: no period of it ever counted. */
  readonly voided: boolean;
  readonly periods: readonly CertificationPeriod[];
  readonly statusChanges: readonly CertificationStatusChange[];
}

/**
 * What the qualification rule reads of a person: their whole history, so that a question about
 * any instant (a back-dated assignment, an audit, a lapse found late) is answered from the facts
 * in force at that instant — not from the person as they stand now.
 */
export interface PersonHistory {
  readonly staffId: string;
  readonly placements: readonly PlacementSpan[];
  readonly certificationHistory: readonly CertificationHistory[];
}

const ms = (instant: Instant) => toMillis(instant);

/**
 * Where the person stood at `at`: the placement (registration, transfer, departure) with the
 * latest business time at or before `at`, the later recorded first among equals. Before their
 * registration, where they were first registered: a registration records who someone is, not when
 * they started (a back-dated assignment may precede it). Undefined only for no placement at all.
 */
export function placementAt(person: PersonHistory, at: Instant): PlacementSpan | undefined {
  return latestBy(person.placements, (span) => span.from, at) ?? person.placements[0];
}

/** Of `items` (in record order), the one whose instant is the latest at or before `at`; ties: the later recorded. */
function latestBy<T>(items: readonly T[], instantOf: (item: T) => Instant, at: Instant): T | undefined {
  const t = ms(at);
  let found: T | undefined;
  let foundAt = -Infinity;
  for (const item of items) {
    const itemAt = ms(instantOf(item));
    if (itemAt <= t && itemAt >= foundAt) {
      found = item;
      foundAt = itemAt;
    }
  }
  return found;
}

/** A certification's status at `at`: the change effective latest by then (active before any). */
export function statusAt(
  certification: CertificationHistory,
  at: Instant,
): 'active' | 'suspended' | 'revoked' {
  return latestBy(certification.statusChanges, (change) => change.at, at)?.status ?? 'active';
}

/**
 * The person's certifications as the rules read them at `at`: one view per period (every period,
 * not only the current one, so a back-dated question sees the period valid then), each with the
 * status in effect at `at`. Voided periods are kept, marked `voided`, so a refusal can say so.
 */
export function certificationsAt(person: PersonHistory, at: Instant): CertificationView[] {
  return person.certificationHistory.flatMap((certification) => {
    const status: CertificationStatus = certification.voided ? 'voided' : statusAt(certification, at);
    const { certificationId, competency, level } = certification;
    return certification.periods.map(({ validFrom, validUntil, voided }) => ({
      certificationId,
      competency,
      level,
      validFrom,
      validUntil,
      status: voided ? ('voided' as const) : status,
    }));
  });
}

/** Every instant at which something in the person's history takes effect (sorted, distinct). */
export function changeInstants(person: PersonHistory): Instant[] {
  const instants = [
    ...person.placements.map((span) => span.from),
    ...person.certificationHistory.flatMap((c) => [
      ...c.periods.flatMap((p) => [p.validFrom, p.validUntil]),
      ...c.statusChanges.map((s) => s.at),
    ]),
  ];
  return distinctSorted(instants);
}

export function distinctSorted(instants: readonly Instant[]): Instant[] {
  const byMs = new Map<number, Instant>();
  for (const instant of instants) byMs.set(ms(instant), new Date(ms(instant)).toISOString());
  return [...byMs.entries()].sort(([a], [b]) => a - b).map(([, instant]) => instant);
}
