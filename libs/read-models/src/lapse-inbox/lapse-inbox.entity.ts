import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NameRow } from '../staff-transcript/staff-rows.entity.js';
import { LAPSE_INBOX_SCHEMA } from './lapse-inbox.projection.js';

@Entity({ schema: LAPSE_INBOX_SCHEMA, name: 'lapses' })
export class LapseInboxEntity {
  @PrimaryColumn('uuid', { name: 'lapse_id' }) lapseId!: string;
  @Column('text', { name: 'team_id' }) teamId!: string;
  @Column('text', { default: 'member-lapsed' }) kind!: string;
  @Column('text', { name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column('text', { name: 'team_role', nullable: true }) teamRole!: string | null;
  @Column('text', { name: 'certification_id', nullable: true }) certificationId!: string | null;
  @Column('text', { nullable: true }) competency!: string | null;
  @Column('text') cause!: string;
  @Column('timestamptz', { nullable: true }) since!: Date | null;
  @Column('jsonb', { nullable: true }) unmet!: unknown;
  @Column('text', { nullable: true }) detail!: string | null;
  @Column('timestamptz', { name: 'requalified_at', nullable: true }) requalifiedAt!: Date | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt!: Date | null;
  @Column('text', { name: 'acknowledged_by', nullable: true }) acknowledgedBy!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
}

@Entity({ schema: LAPSE_INBOX_SCHEMA, name: 'teams' })
export class LapseInboxTeamEntity {
  @PrimaryColumn('text', { name: 'team_id' }) teamId!: string;
  @Column('text') name!: string;
  @Column('text') jurisdiction!: string;
}

@Entity({ schema: LAPSE_INBOX_SCHEMA, name: 'names' })
export class LapseInboxNameEntity extends NameRow {}
