import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { TRAINER_REGISTRY_SCHEMA } from './trainer-registry.projection.js';

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'certifications' })
export class TrainerAccreditationEntity extends TimelineRow {
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

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'members' })
export class TrainerMemberEntity extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
}

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'sessions' })
export class TrainerSessionEntity extends TimelineRow {
  @Column('text', { name: 'session_id' }) sessionId!: string;
  @Column('text', { name: 'programme_id' }) programmeId!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt!: Date;
  @Column('text', { array: true }) jurisdictions!: string[];
  @Column('text', { array: true }) trainers!: string[];
  @Column('text') status!: string;
}

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'names' })
export class TrainerNameEntity {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
}
