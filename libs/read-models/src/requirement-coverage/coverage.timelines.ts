import {
  ALL_STAFF_ROLE,
  evolveStaff,
  initialStaffState,
  isLevel,
  levelRank,
  staffSnapshot,
  type Level,
  type PersonHistory,
  type StaffEvent,
} from '@cadre/domain';
import type { Fact, Interval } from '../bitemporal/history-spec.js';

const ms = (instant: string) => Date.parse(instant);
const byBusinessTime = (a: Fact, b: Fact) => ms(a.occurredAt) - ms(b.occurredAt);
const text = (value: unknown) => String(value);

/**
 * Where a staff member stood over time: agency, jurisdiction, institution and role, from
 * registration to departure. Facts are folded in business-time order (a back-dated transfer
 * lands at its date), each change opening a new interval.
 */
export function placementTimeline(facts: readonly Fact[]): Interval[] {
  const changes = facts
    .filter((f) =>
      [
        'StaffMemberRegistered',
        'StaffMemberRoleChanged',
        'StaffMemberTransferred',
        'StaffMemberLeft',
      ].includes(f.type),
    )
    .sort(byBusinessTime);
  const intervals: Interval[] = [];
  type Placement = { agency: string; jurisdiction: string; institution: string; role: string };
  let state = null as Placement | null;
  let since: string | null = null;
  for (const fact of changes) {
    const d = fact.data;
    let next: Placement | null = state;
    if (fact.type === 'StaffMemberRegistered')
      next = {
        agency: text(d.agency),
        jurisdiction: text(d.jurisdiction),
        institution: text(d.institution),
        role: text(d.role),
      };
    else if (fact.type === 'StaffMemberLeft') next = null;
    else if (state && fact.type === 'StaffMemberRoleChanged') next = { ...state, role: text(d.role) };
    else if (state && fact.type === 'StaffMemberTransferred')
      next = {
        ...state,
        agency: text(d.agency),
        jurisdiction: text(d.jurisdiction),
        institution: text(d.institution),
      };
    if (state && since !== null && ms(since) < ms(fact.occurredAt))
      intervals.push({ validFrom: since, validTo: fact.occurredAt, values: placementValues(state) });
    state = next;
    since = fact.occurredAt;
  }
  if (state && since !== null)
    intervals.push({ validFrom: since, validTo: null, values: placementValues(state) });
  return intervals;
}

const placementValues = (s: { agency: string; jurisdiction: string; institution: string; role: string }) => [
  s.jurisdiction,
  s.institution,
  s.agency,
  s.role,
];

type Span = [from: number, to: number];

/** Union of spans, merged where they touch or overlap. */
function union(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function subtract(spans: readonly Span[], holes: readonly Span[]): Span[] {
  let result = [...spans];
  for (const [hFrom, hTo] of holes) {
    result = result.flatMap(([from, to]): Span[] => {
      if (hTo <= from || hFrom >= to) return [[from, to]];
      const parts: Span[] = [];
      if (from < hFrom) parts.push([from, hFrom]);
      if (hTo < to) parts.push([hTo, to]);
      return parts;
    });
  }
  return result;
}

/**
 * When each certification of a staff member counted: its validity periods (award and renewals,
 * `validFrom` to the instant `validUntil`, whether or not an expiry was recorded), minus
 * suspensions, cut at revocation; a voided award never counted, a voided renewal adds nothing.
 */
export function certificationTimeline(facts: readonly Fact[]): Interval[] {
  const voided = new Set(
    facts.filter((f) => f.type === 'RecordVoided').map((f) => text(f.data.targetEventId)),
  );
  const certifications = new Map<
    string,
    { competency: string; level: Level; periods: Span[]; decisions: Fact[]; voided: boolean }
  >();
  for (const fact of facts) {
    const id = fact.data.certificationId === undefined ? null : text(fact.data.certificationId);
    if (id === null) continue;
    if (fact.type === 'CertificationAwarded' && isLevel(fact.data.level)) {
      certifications.set(id, {
        competency: text(fact.data.competency),
        level: fact.data.level,
        periods: [],
        decisions: [],
        voided: voided.has(fact.eventId),
      });
    }
    const certification = certifications.get(id);
    if (!certification) continue;
    if (
      (fact.type === 'CertificationAwarded' || fact.type === 'CertificationRenewed') &&
      !voided.has(fact.eventId)
    )
      certification.periods.push([ms(text(fact.data.validFrom)), ms(text(fact.data.validUntil))]);
    if (['CertificationSuspended', 'CertificationReinstated', 'CertificationRevoked'].includes(fact.type))
      certification.decisions.push(fact);
  }
  const intervals: Interval[] = [];
  for (const [id, c] of certifications) {
    if (c.voided) continue;
    const holes: Span[] = [];
    let suspendedAt: number | null = null;
    for (const decision of [...c.decisions].sort(byBusinessTime)) {
      const at = ms(decision.occurredAt);
      if (decision.type === 'CertificationSuspended') suspendedAt ??= at;
      if (decision.type === 'CertificationReinstated' && suspendedAt !== null) {
        holes.push([suspendedAt, at]);
        suspendedAt = null;
      }
      if (decision.type === 'CertificationRevoked') holes.push([at, Number.POSITIVE_INFINITY]);
    }
    if (suspendedAt !== null) holes.push([suspendedAt, Number.POSITIVE_INFINITY]);
    for (const [from, to] of subtract(union(c.periods), holes)) {
      intervals.push({
        validFrom: new Date(from).toISOString(),
        validTo: new Date(to).toISOString(),
        values: [id, c.competency, c.level, levelRank(c.level)],
      });
    }
  }
  return intervals;
}

/**
 * Each staff member as the qualification rule reads them (for the eligibility check): the
 * staff decider's own fold (`evolveStaff`, then `staffSnapshot`) of their facts in recording
 * order — exactly what an assignment reads from the stream — so every validity period and every
 * change of status is kept, with where they stand now (jurisdiction, institution, agency, role,
 * status) to select and show them by. The row of `person_histories` (a current-state table:
 * eligibility judges now, with the whole history inside); null before the registration.
 */
export function personHistoryRow(facts: readonly Fact[]): unknown[] | null {
  let state = initialStaffState();
  for (const fact of facts) {
    const event = {
      type: fact.type,
      data: fact.data,
      metadata: { eventId: fact.eventId, occurredAt: fact.occurredAt },
    } as unknown as StaffEvent;
    state = evolveStaff(state, event);
  }
  const snapshot = staffSnapshot(state);
  if (!snapshot) return null;
  const history: PersonHistory = {
    staffId: snapshot.staffId,
    placements: snapshot.placements,
    certificationHistory: snapshot.certificationHistory,
  };
  const { jurisdiction, institution, agency, role, status } = snapshot;
  return [jurisdiction, institution, agency, role, status, history];
}

/**
 * The requirements in force in a jurisdiction over time: the adopted framework version's (each
 * adoption from its `effectiveFrom`) plus the jurisdiction's additions (each from its
 * `effectiveFrom`), the stricter level standing where two name the same role and competency —
 * as `requirementsInForce` decides for one person and one date. A `FrameworkAdopted` fact carries
 * the adopted version's requirements (added when the fact is stored).
 */
export function requirementTimeline(facts: readonly Fact[]): Interval[] {
  const adoptions = facts
    .filter((f) => f.type === 'FrameworkAdopted')
    .map((f) => ({
      at: ms(text(f.data.effectiveFrom)),
      version: text(f.data.version),
      requirements: (f.data.requirements ?? []) as { role: string; competency: string; minLevel: Level }[],
    }));
  const additions = facts
    .filter((f) => f.type === 'JurisdictionRequirementAdded')
    .map((f) => ({
      at: ms(text(f.data.effectiveFrom ?? f.occurredAt)),
      role: text(f.data.role),
      competency: text(f.data.competency),
      minLevel: f.data.minLevel as Level,
    }));
  const breaks = [...new Set([...adoptions.map((a) => a.at), ...additions.map((a) => a.at)])].sort(
    (a, b) => a - b,
  );
  const open = new Map<string, { from: number; values: unknown[] }>();
  const intervals: Interval[] = [];
  const close = (key: string, to: number | null) => {
    const entry = open.get(key)!;
    open.delete(key);
    if (to === null || entry.from < to)
      intervals.push({
        validFrom: new Date(entry.from).toISOString(),
        validTo: to === null ? null : new Date(to).toISOString(),
        values: entry.values,
      });
  };
  for (const at of breaks) {
    // The latest adoption in force (the last recorded one wins a tie).
    const adopted = adoptions
      .filter((a) => a.at <= at)
      .sort((a, b) => a.at - b.at)
      .at(-1);
    const inForce = new Map<string, unknown[]>();
    if (adopted) {
      const candidates = [
        ...adopted.requirements.map((r) => ({ ...r, source: 'framework' })),
        ...additions.filter((a) => a.at <= at).map((r) => ({ ...r, source: 'jurisdiction' })),
      ];
      const strictest = new Map<string, (typeof candidates)[number]>();
      for (const r of candidates) {
        const key = `${r.role}\u0000${r.competency}`;
        const current = strictest.get(key);
        if (!current || levelRank(r.minLevel) > levelRank(current.minLevel)) strictest.set(key, r);
      }
      for (const r of strictest.values()) {
        const values = [r.role, r.competency, r.minLevel, levelRank(r.minLevel), r.source, adopted.version];
        inForce.set(JSON.stringify(values), values);
      }
    }
    for (const key of [...open.keys()]) if (!inForce.has(key)) close(key, at);
    for (const [key, values] of inForce) if (!open.has(key)) open.set(key, { from: at, values });
  }
  for (const key of [...open.keys()]) close(key, null);
  return intervals;
}

/** Whether a requirement of `requirementRole` applies to a person in `role` (all-staff applies to all). */
export const appliesTo = (requirementRole: string, role: string): boolean =>
  requirementRole === role || requirementRole === ALL_STAFF_ROLE;
