import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { EXPIRY_GAPS_SCHEMA } from './expiry-gaps.projection.js';

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'certifications' })
export class ExpiryGapsCertificationEntity extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'certification_id' }) certificationId!: string;
  @Column('text') competency!: string;
  @Column('text') level!: string;
  @Column('int', { name: 'level_rank' }) levelRank!: number;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'certified_from' }) certifiedFrom!: Date;
  @Column('timestamptz', { name: 'certified_until' }) certifiedUntil!: Date;
  @Column('timestamptz', { name: 'window_opens_at' }) windowOpensAt!: Date;
  @Column('jsonb') evidence!: unknown;
  @Column('text', { name: 'framework_version' }) frameworkVersion!: string;
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'members' })
export class ExpiryGapsMemberEntity extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'team_members' })
export class ExpiryGapsTeamMembersEntity extends TimelineRow {
  @Column('text', { name: 'team_id' }) teamId!: string;
  @Column('text', { array: true }) members!: string[];
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'names' })
export class ExpiryGapsNameEntity {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
}
