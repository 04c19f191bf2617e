import type { Fact, Interval } from '../bitemporal/history-spec.js';

const ms = (instant: string) => Date.parse(instant);
const text = (value: unknown) => String(value);
/** Business-time order; facts of the same instant keep the order they were recorded in. */
const inBusinessOrder = (facts: readonly Fact[]) =>
  facts
    .map((fact, i) => ({ fact, i }))
    .sort((a, b) => ms(a.fact.occurredAt) - ms(b.fact.occurredAt) || a.i - b.i)
    .map(({ fact }) => fact);

/** The team itself over time: name, jurisdiction, kind, required disciplines and status, until dissolved. */
export function teamTimeline(facts: readonly Fact[]): Interval[] {
  const intervals: Interval[] = [];
  let values: unknown[] | null = null;
  let since = '';
  const change = (at: string, next: unknown[] | null) => {
    if (values && ms(since) < ms(at)) intervals.push({ validFrom: since, validTo: at, values });
    values = next;
    since = at;
  };
  for (const fact of inBusinessOrder(facts)) {
    const d = fact.data;
    if (fact.type === 'TeamFormed')
      change(fact.occurredAt, [
        text(d.name),
        text(d.jurisdiction),
        text(d.kind),
        d.requiredDisciplines ?? [],
        'forming',
      ]);
    else if (fact.type === 'TeamDeclaredOperational' && values)
      change(fact.occurredAt, [...(values as unknown[]).slice(0, 4), 'operational']);
    else if (fact.type === 'TeamReadinessLost' && values)
      change(fact.occurredAt, [...(values as unknown[]).slice(0, 4), 'forming']);
    else if (fact.type === 'TeamDissolved') change(fact.occurredAt, null);
  }
  if (values) intervals.push({ validFrom: since, validTo: null, values });
  return intervals;
}

/** Who served on the team, in which role and agency, from assignment to release (or dissolution). */
export function membershipTimeline(facts: readonly Fact[]): Interval[] {
  const open = new Map<string, { since: string; values: unknown[] }>();
  const intervals: Interval[] = [];
  const close = (staffId: string, at: string | null) => {
    const member = open.get(staffId);
    if (!member) return;
    open.delete(staffId);
    if (at === null || ms(member.since) < ms(at))
      intervals.push({ validFrom: member.since, validTo: at, values: member.values });
  };
  for (const fact of inBusinessOrder(facts)) {
    const d = fact.data;
    if (fact.type === 'MemberAssigned' && !open.has(text(d.staffId)))
      open.set(text(d.staffId), {
        since: fact.occurredAt,
        values: [
          text(d.staffId),
          text(d.teamRole),
          text(d.agency),
          d.override !== null && d.override !== undefined,
        ],
      });
    else if (fact.type === 'MemberReleased') close(text(d.staffId), fact.occurredAt);
    else if (fact.type === 'TeamDissolved')
      for (const staffId of [...open.keys()]) close(staffId, fact.occurredAt);
  }
  for (const staffId of [...open.keys()]) close(staffId, null);
  return intervals;
}

/** When a fact takes effect: a lapse or a requalification from its `since`, the rest when they occurred. */
const effectiveAt = (fact: Fact) =>
  fact.type === 'MemberLapsed' || fact.type === 'MemberRequalified' ? text(fact.data.since) : fact.occurredAt;

/**
 * Unqualified members: each lapse from the instant it began (a `MemberLapsed`'s `since`; a lapse
 * recorded before decision 0010 from when it was recorded as happening) until the member was
 * requalified or left the team (released, or the team dissolved) — how long the team carried an
 * unqualified member.
 */
export function lapseTimeline(facts: readonly Fact[]): Interval[] {
  const open = new Map<string, { staffId: string; since: string; values: unknown[] }>();
  const intervals: Interval[] = [];
  const close = (key: string, at: string | null) => {
    const lapse = open.get(key)!;
    open.delete(key);
    if (at === null || ms(lapse.since) < ms(at))
      intervals.push({ validFrom: lapse.since, validTo: at, values: lapse.values });
  };
  const closeMember = (staffId: string, at: string) => {
    for (const [key, lapse] of [...open]) if (lapse.staffId === staffId) close(key, at);
  };
  const ordered = facts
    .map((fact, i) => ({ fact, i }))
    .sort((a, b) => ms(effectiveAt(a.fact)) - ms(effectiveAt(b.fact)) || a.i - b.i)
    .map(({ fact }) => fact);
  for (const fact of ordered) {
    const d = fact.data;
    if (fact.type === 'MemberQualificationLapsed') {
      const key = `${text(d.staffId)}\u0000${text(d.certificationId)}`;
      if (!open.has(key))
        open.set(key, {
          staffId: text(d.staffId),
          since: fact.occurredAt,
          values: [text(d.staffId), text(d.certificationId), text(d.cause)],
        });
    } else if (fact.type === 'MemberLapsed') {
      const key = `${text(d.staffId)}\u0000`;
      const [first] = (d.unmet ?? []) as { held: { certificationId: string } | null }[];
      if (!open.has(key))
        open.set(key, {
          staffId: text(d.staffId),
          since: text(d.since),
          values: [text(d.staffId), first?.held?.certificationId ?? null, text(d.cause)],
        });
    } else if (fact.type === 'MemberRequalified') {
      closeMember(text(d.staffId), text(d.since));
    } else if (fact.type === 'MemberReleased') {
      closeMember(text(d.staffId), fact.occurredAt);
    } else if (fact.type === 'TeamDissolved') {
      for (const key of [...open.keys()]) close(key, fact.occurredAt);
    }
  }
  for (const key of [...open.keys()]) close(key, null);
  return intervals;
}
