import { digest, type Column, columnsOf } from '../bitemporal/sql-rows.js';
import type { PendingVersionRow, VersionChanges } from '../bitemporal/versions.js';
import {
  recordedVersions,
  type Fact,
  type History,
  type Segment,
  type TimelineSpec,
} from './timeline-segments.js';

const ms = (instant: string): number => Date.parse(instant);

/** What identifies a segment's row among an entity's believed rows: its interval and its values. */
const fingerprintOf = (spec: TimelineSpec<unknown>, key: string, segment: Segment<unknown>): string =>
  digest([
    ms(segment.validFrom),
    segment.validTo === null ? null : ms(segment.validTo),
    spec.values(key, segment.state),
  ]);

export type BatchFact = { readonly history: string; readonly key: string; readonly fact: Fact };

export const FACT_COLUMNS: readonly Column[] = columnsOf({
  history: 'text',
  entity_key: 'text',
  event_id: 'uuid',
  type: 'text',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  data: 'jsonb',
});

export const factValues = ({ history, key, fact }: BatchFact): unknown[] => [
  history,
  key,
  fact.eventId,
  fact.type,
  fact.occurredAt,
  fact.recordedAt,
  fact.data,
];

export const rowColumns = (spec: TimelineSpec<unknown>): Column[] => [
  { name: 'entity_key', type: 'text' },
  ...spec.columns,
  { name: 'valid_from', type: 'timestamptz' },
  { name: 'valid_to', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'superseded_at', type: 'timestamptz' },
  { name: 'fingerprint', type: 'text' },
];

export const rowValuesOf =
  (spec: TimelineSpec<unknown>) =>
  (row: PendingVersionRow<Segment<unknown>>): unknown[] => [
    row.entity,
    ...spec.values(row.entity, row.content.state),
    row.content.validFrom,
    row.content.validTo,
    row.recordedAt,
    row.supersededAt,
    row.fingerprint,
  ];

export const earliestRecordTime = (facts: readonly BatchFact[]): number =>
  facts.reduce((earliest, { fact }) => Math.min(earliest, ms(fact.recordedAt)), Infinity);

/** Each touched entity's versions, compared with its rows (see {@link recordedVersions}). */
export function recordHistories(
  changes: VersionChanges<Segment<unknown>>,
  spec: TimelineSpec<unknown>,
  histories: readonly Pick<History, 'key' | 'earlier' | 'batch'>[],
  timelines?: Map<string, string>,
): void {
  for (const history of histories) {
    const id = `${spec.table}\u0000${history.key}`;
    const known = timelines ? { previous: timelines.get(id) } : undefined;
    for (const version of recordedVersions({ spec, earlier: history.earlier, batch: history.batch }, known)) {
      changes.record(
        history.key,
        version.recordedAt,
        new Map(version.segments.map((segment) => [fingerprintOf(spec, history.key, segment), segment])),
      );
    }
    if (timelines && known?.previous !== undefined) timelines.set(id, known.previous);
  }
}
