import type { RecordedEvent } from '@cadre/event-store';
import { digest, type Column, columnsOf } from './sql-rows.js';
import type { PendingVersionRow, VersionChanges } from './versions.js';
import type { CurrentTable, Fact, HistoryTable, Interval } from './history-spec.js';

export const ms = (instant: string) => Date.parse(instant);
export const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const fingerprint = (interval: Interval) =>
  digest([ms(interval.validFrom), interval.validTo === null ? null : ms(interval.validTo), interval.values]);

export type BatchFact = {
  readonly event: RecordedEvent;
  readonly entity: string;
  readonly data: Record<string, unknown>;
};

export const FACT_COLUMNS: readonly Column[] = columnsOf({
  entity: 'text',
  event_id: 'uuid',
  type: 'text',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  data: 'jsonb',
});

export const rowColumns = (history: HistoryTable): Column[] => [
  { name: 'entity', type: 'text' },
  ...history.columns,
  { name: 'valid_from', type: 'timestamptz' },
  { name: 'valid_to', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'superseded_at', type: 'timestamptz' },
  { name: 'fingerprint', type: 'text' },
];

export const rowValues = (row: PendingVersionRow<Interval>): unknown[] => [
  row.entity,
  ...row.content.values,
  row.content.validFrom,
  row.content.validTo,
  row.recordedAt,
  row.supersededAt,
  row.fingerprint,
];

export const currentColumns = (current: CurrentTable): Column[] => [
  { name: 'entity', type: 'text' },
  ...current.columns,
  { name: 'fingerprint', type: 'text' },
];

/** Each entity's current row (`entity`, values, fingerprint), null where it has none, in `entities`' order. */
export const currentRows = (
  current: CurrentTable,
  entities: readonly string[],
  factsOf: ReadonlyMap<string, readonly Fact[]>,
): (unknown[] | null)[] =>
  entities.map((entity) => {
    const values = current.row(factsOf.get(entity) ?? []);
    return values && [entity, ...values, digest(values)];
  });

export const earliestRecordTime = (facts: readonly BatchFact[]): string =>
  new Date(facts.reduce((earliest, f) => Math.min(earliest, ms(f.event.recordedAt)), Infinity)).toISOString();

/**
 * Each entity's timeline at each record time the batch brings, from all its facts known then
 * (`factsOf`: every fact of the entity, the batch's included, in recording order).
 */
export function recordVersions(
  changes: VersionChanges<Interval>,
  history: HistoryTable,
  facts: readonly BatchFact[],
  factsOf: ReadonlyMap<string, readonly Fact[]>,
): void {
  const recordTimes = new Map<string, string[]>();
  for (const f of facts) {
    const times = recordTimes.get(f.entity) ?? [];
    if (!times.includes(f.event.recordedAt)) times.push(f.event.recordedAt);
    recordTimes.set(f.entity, times);
  }
  for (const [entity, unsorted] of recordTimes) {
    const all = factsOf.get(entity) ?? [];
    const recorded = all.map((fact) => ms(fact.recordedAt));
    const times = unsorted.sort((a, b) => ms(a) - ms(b));
    for (const recordedAt of times) {
      const at = ms(recordedAt);
      const known = all.filter((_, i) => recorded[i]! <= at);
      changes.record(
        entity,
        recordedAt,
        new Map(history.timeline(known).map((interval) => [fingerprint(interval), interval])),
      );
    }
  }
}
