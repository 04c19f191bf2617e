import type { Fact, Interval } from '../bitemporal/history-spec.js';

const ms = (instant: string) => Date.parse(instant);

/**
 * Each participant's attendance of one session over time (what a joint flag derives from): every
 * attendance record from its business time until the next one of the same participant; a voided
 * record never counted; a cancelled session has none. Values: staff, agency, the participant's
 * jurisdiction, attendance, the session's start and jurisdictions.
 */
export function attendanceTimeline(facts: readonly Fact[]): Interval[] {
  // The history engine asks for both of a session's histories from the same facts, one after the
  // other: the joint-session timeline reuses the attendances computed just before.
  if (last !== null && sameFacts(last.facts, facts)) return last.intervals;
  const intervals = computeAttendance(facts);
  last = { facts: [...facts], intervals };
  return intervals;
}

let last: { readonly facts: readonly Fact[]; readonly intervals: Interval[] } | null = null;

const sameFacts = (a: readonly Fact[], b: readonly Fact[]): boolean =>
  a.length === b.length && a.every((fact, i) => fact === b[i]);

function computeAttendance(facts: readonly Fact[]): Interval[] {
  const scheduled = facts.find((f) => f.type === 'SessionScheduled');
  if (!scheduled || facts.some((f) => f.type === 'SessionCancelled')) return [];
  const voided = new Set(
    facts.filter((f) => f.type === 'RecordVoided').map((f) => String(f.data.targetEventId)),
  );
  const participants = new Map<string, { agency: string; jurisdiction: string }>();
  for (const f of facts)
    if (f.type === 'ParticipantEnrolled')
      participants.set(String(f.data.staffId), {
        agency: String(f.data.agency),
        jurisdiction: String(f.data.jurisdiction),
      });
  const records = facts
    .map((fact, i) => ({ fact, i }))
    .filter(({ fact }) => fact.type === 'AttendanceRecorded' && !voided.has(fact.eventId))
    .sort((a, b) => ms(a.fact.occurredAt) - ms(b.fact.occurredAt) || a.i - b.i)
    .map(({ fact }) => fact);
  const intervals: Interval[] = [];
  for (const [staffId, participant] of participants) {
    const own = records.filter((r) => String(r.data.staffId) === staffId);
    own.forEach((record, i) => {
      const next = own.slice(i + 1).find((later) => ms(later.occurredAt) > ms(record.occurredAt));
      if (own.slice(i + 1).some((later) => ms(later.occurredAt) === ms(record.occurredAt))) return;
      intervals.push({
        validFrom: record.occurredAt,
        validTo: next?.occurredAt ?? null,
        values: [
          staffId,
          participant.agency,
          participant.jurisdiction,
          String(record.data.attendance),
          String(scheduled.data.startsAt),
          scheduled.data.jurisdictions ?? [],
        ],
      });
    });
  }
  return intervals;
}

/** Attendance values' positions (see {@link attendanceTimeline}). */
const AGENCY = 1;
const ATTENDANCE = 3;
const STARTS_AT = 4;
const SESSION_JURISDICTIONS = 5;

/**
 * When a session was joint, over business time: the spans in which both a prison and a probation
 * participant's attendance (present or partial, not absent) stood, as {@link attendanceTimeline}
 * gives them. Values: the session's start and jurisdictions. Derived from the same facts, so the
 * query counts joint sessions without grouping every attendance of its window.
 */
export function jointSessionTimeline(facts: readonly Fact[]): Interval[] {
  const attended = attendanceTimeline(facts).filter((a) => a.values[ATTENDANCE] !== 'absent');
  if (attended.length === 0) return [];
  const { values } = attended[0]!;
  const instants = [
    ...new Set(attended.flatMap((a) => (a.validTo === null ? [a.validFrom] : [a.validFrom, a.validTo]))),
  ].sort((a, b) => ms(a) - ms(b));
  const standsAt = (a: Interval, at: number): boolean =>
    ms(a.validFrom) <= at && (a.validTo === null || ms(a.validTo) > at);
  const intervals: Interval[] = [];
  instants.forEach((from, i) => {
    const at = ms(from);
    const agencies = new Set(attended.filter((a) => standsAt(a, at)).map((a) => a.values[AGENCY]));
    if (!agencies.has('prison') || !agencies.has('probation')) return;
    const to = instants[i + 1] ?? null;
    const last = intervals.at(-1);
    if (last !== undefined && last.validTo === from)
      intervals[intervals.length - 1] = { ...last, validTo: to };
    else
      intervals.push({
        validFrom: from,
        validTo: to,
        values: [values[STARTS_AT], values[SESSION_JURISDICTIONS]],
      });
  });
  return intervals;
}
