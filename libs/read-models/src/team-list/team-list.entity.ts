import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TEAM_LIST_SCHEMA } from './team-list.projection.js';

/** A team as the managers' list shows it (current state). */
@Entity({ schema: TEAM_LIST_SCHEMA, name: 'teams' })
export class TeamListEntity {
  @PrimaryColumn('text', { name: 'team_id' }) teamId!: string;
  @Column('text') name!: string;
  @Column('text') jurisdiction!: string;
  @Column('text', { array: true }) institutions!: string[];
  @Column('text') kind!: string;
  @Column('text', { name: 'case_ref' }) caseRef!: string;
  @Column('jsonb', { name: 'required_disciplines' }) requiredDisciplines!: unknown;
  @Column('text') status!: string;
  @Column('int', { name: 'member_count' }) memberCount!: number;
  @Column('text', { name: 'lead_staff_id', nullable: true }) leadStaffId!: string | null;
  @Column('timestamptz', { name: 'formed_at' }) formedAt!: Date;
}
