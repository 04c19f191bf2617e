import { Column, Entity } from 'typeorm';
import { HistoryRow } from '../bitemporal/history-row.entity.js';
import { TEAM_COMPOSITION_SCHEMA } from './team-composition.projection.js';

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'teams' })
export class TeamHistoryEntity extends HistoryRow {
  @Column('text') name!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') kind!: string;
  @Column('jsonb', { name: 'required_disciplines' }) requiredDisciplines!: unknown;
  @Column('text') status!: string;
}

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'memberships' })
export class TeamMembershipHistoryEntity extends HistoryRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'team_role' }) teamRole!: string;
  @Column('text') agency!: string;
  @Column('boolean', { name: 'by_override' }) byOverride!: boolean;
}

@Entity({ schema: TEAM_COMPOSITION_SCHEMA, name: 'lapses' })
export class TeamLapseHistoryEntity extends HistoryRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'certification_id', nullable: true }) certificationId!: string | null;
  @Column('text') cause!: string;
}
