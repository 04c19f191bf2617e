import { Column, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The two clocks and the fingerprint every bitemporal row has (docs/read-models.md). */
abstract class TwoClocks {
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  /** What the engines compare believed rows by (decision 0007). */
  @Column('text') fingerprint!: string;
}

/** A row of a history written by the history engine (history.ts): `id`, and the `entity` it is of. */
export abstract class HistoryRow extends TwoClocks {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') entity!: string;
}

/** A row of a timeline written by the timeline engine (staff-transcript/timeline.ts): `row_id`, `entity_key`. */
export abstract class TimelineRow extends TwoClocks {
  @PrimaryGeneratedColumn('increment', { name: 'row_id', type: 'bigint' }) rowId!: string;
  @Column('text', { name: 'entity_key' }) entityKey!: string;
}
