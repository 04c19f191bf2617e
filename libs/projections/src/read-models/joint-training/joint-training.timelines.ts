import type { Fact, Interval } from '../bitemporal/history.js';

const ms = (instant: string) => Date.parse(instant);

/**
 * Each participant's attendance of one session over time (what a joint flag derives from): every
 * attendance record from its business time until the next one of the same participant; a voided
 * record never counted; a cancelled session has none. Values: staff, agency, the participant's
 * jurisdiction, attendance, the session's start and jurisdictions.
 */
export function attendanceTimeline(facts: readonly Fact[]): Interval[] {
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
