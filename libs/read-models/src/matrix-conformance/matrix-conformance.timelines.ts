import type { Fact, Interval } from '../bitemporal/history-spec.js';

const ms = (instant: string) => Date.parse(instant);

/** Which framework version a jurisdiction had adopted, each adoption from its `effectiveFrom`. */
export function adoptionTimeline(facts: readonly Fact[]): Interval[] {
  const adoptions = facts
    .filter((f) => f.type === 'FrameworkAdopted')
    .map((f, i) => ({ at: String(f.data.effectiveFrom), version: String(f.data.version), i }))
    .sort((a, b) => ms(a.at) - ms(b.at) || a.i - b.i);
  const intervals: Interval[] = [];
  adoptions.forEach((adoption, i) => {
    const next = adoptions.slice(i + 1).find((later) => ms(later.at) > ms(adoption.at));
    // Two adoptions from the same instant: the one recorded last stands.
    if (adoptions.slice(i + 1).some((later) => ms(later.at) === ms(adoption.at))) return;
    intervals.push({ validFrom: adoption.at, validTo: next?.at ?? null, values: [adoption.version] });
  });
  return intervals;
}

/** When a framework version was the regional baseline candidate: from publication until retirement. */
export function publicationTimeline(facts: readonly Fact[]): Interval[] {
  const published = facts.find((f) => f.type === 'FrameworkVersionPublished');
  if (!published) return [];
  const retired = facts.find((f) => f.type === 'FrameworkVersionRetired');
  const validTo = retired && ms(retired.occurredAt) > ms(published.occurredAt) ? retired.occurredAt : null;
  if (retired && validTo === null) return [];
  return [{ validFrom: published.occurredAt, validTo, values: [String(published.data.version)] }];
}
