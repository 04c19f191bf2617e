import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TEAM_COMPOSITION_SCHEMA } from './team-composition.projection.js';

abstract class TeamHistoryRow {
  @PrimaryColumn('bigint') id!: string;
  /** The team id. */
  @Column('text') entity!: string;
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  @Column('text') fingerprint!: string;
}

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'teams' })
export class TeamHistoryEntity extends TeamHistoryRow {
  @Column('text') name!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') kind!: string;
  @Column('jsonb', { name: 'required_disciplines' }) requiredDisciplines!: unknown;
  @Column('text') status!: string;
}

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'memberships' })
export class TeamMembershipHistoryEntity extends TeamHistoryRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'team_role' }) teamRole!: string;
  @Column('text') agency!: string;
  @Column('boolean', { name: 'by_override' }) byOverride!: boolean;
}

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'lapses' })
export class TeamLapseHistoryEntity extends TeamHistoryRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'certification_id' }) certificationId!: string;
  @Column('text') cause!: string;
}
